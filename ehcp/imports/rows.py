"""What checking a file hands on to writing it: the checked rows, the errors, and the batch size both use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Rows written per round of bulk queries; the number of queries per round is fixed (about a dozen).
BATCH_ROWS = 1000


@dataclass(frozen=True)
class RowError:
    """A problem with the file: the physical line (the header is line 1), the column and a plain reason."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass(slots=True)
class Sen2Row:
    """One checked row. None in an optional column's field means the column was not in the file."""

    line: int
    case_reference: str
    initials: str
    date_of_birth: dt.date
    primary_need: str
    setting_type: str
    looked_after: bool | None
    child_in_need: bool | None
    request_date: dt.date | None
    decision_date: dt.date | None
    will_assess: bool | None
    exception: str | None
    final_plan_date: dt.date | None
    last_review_date: dt.date | None
    plan_end_date: dt.date | None
    plan_end_reason: str
    agency_ids: tuple[int, ...] | None


@dataclass
class Validation:
    """What `validate_rows` found: the good rows, and every error. Import only when `errors` is empty."""

    rows: list[Sen2Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns: frozenset[str] = frozenset()
    rows_total: int = 0
