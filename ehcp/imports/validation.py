"""`validate_rows`: parse and check the text of a SEN2-shaped CSV file. Pure: no database reads or writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from django.utils import timezone

from ehcp.imports.columns import (
    _ALLOWED_CODES,
    _COLUMN_ORDER,
    _EVENT_DATES,
    COLUMN_BY_NAME,
    COLUMNS,
    Column,
    _header_name,
)
from ehcp.imports.rows import BATCH_ROWS, RowError, Sen2Row, Validation

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_HELP = "Use YYYY-MM-DD, like 2014-03-31, or DD/MM/YYYY, like 31/03/2014."


class _Bad(Exception):
    pass


@lru_cache(maxsize=8192)
def parse_date(raw: str) -> dt.date:
    """A date written YYYY-MM-DD or DD/MM/YYYY (council exports use the second). Raises ValueError."""
    if match := _ISO_DATE.fullmatch(raw):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK_DATE.fullmatch(raw):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(f"‘{raw}’ is not a date. {_DATE_HELP}")
    if year < 1900:
        raise ValueError(f"‘{raw}’ is not a real date: check the year.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"‘{raw}’ is not a real date.") from None


# One parser a column kind: each takes the column, the raw text (stripped, never blank) and the partnership's
# agencies by lower-cased name, returns the value and raises _Bad with the message for the row's error.
def _parse_date(column: Column, raw: str, agencies: Mapping[str, int]) -> dt.date:
    try:
        return parse_date(raw)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def _parse_code(column: Column, raw: str, agencies: Mapping[str, int]) -> str:
    code = raw.upper()
    if code not in _ALLOWED_CODES[column.name]:
        allowed = ", ".join(value for value, _ in column.codes)
        raise _Bad(f"‘{raw}’ is not a {column.code_kind}. Use one of: {allowed}.")
    return code


def _parse_yes_no(column: Column, raw: str, agencies: Mapping[str, int]) -> bool:
    answer = raw.lower()
    if answer in ("y", "yes"):
        return True
    if answer in ("n", "no"):
        return False
    raise _Bad(f"‘{raw}’ is not Y or N.")


def _parse_initials(column: Column, raw: str, agencies: Mapping[str, int]) -> str:
    letters = raw.replace(".", "").replace(" ", "")
    if not (1 <= len(letters) <= 4 and letters.isalpha()):
        raise _Bad(f"‘{raw}’ is not initials: use 1 to 4 letters, like AB.")
    return letters.upper()


def _parse_agencies(column: Column, raw: str, agencies: Mapping[str, int]) -> tuple[int, ...]:
    names = [name.strip() for name in raw.split(";") if name.strip()]
    unknown = [name for name in names if name.lower() not in agencies]
    if unknown:
        listed = "; ".join(f"‘{name}’" for name in unknown)
        known = sorted(agencies)
        hint = f" The agencies are: {'; '.join(known)}." if 0 < len(known) <= 15 else ""
        raise _Bad(
            f"{listed} {'is not an agency' if len(unknown) == 1 else 'are not agencies'} of this "
            f"partnership. Use the agency names in QAF, separated by ;.{hint}"
        )
    return tuple(dict.fromkeys(agencies[name.lower()] for name in names))


def _parse_text(column: Column, raw: str, agencies: Mapping[str, int]) -> str:
    if len(raw) > 40:
        raise _Bad(f"The {column.label} is longer than 40 characters.")
    return raw


_PARSERS: dict[str, Callable[[Column, str, Mapping[str, int]], Any]] = {
    "date": _parse_date,
    "code": _parse_code,
    "yes_no": _parse_yes_no,
    "initials": _parse_initials,
    "agencies": _parse_agencies,
}


def _parse(column: Column, raw: str, agencies: Mapping[str, int]):
    """The value of `raw` in `column`, by the parser of its kind (text for any other kind)."""
    return _PARSERS.get(column.kind, _parse_text)(column, raw, agencies)


def _blank(column: Column):
    return {"code": "", "agencies": ()}.get(column.kind)


def _parse_fields(
    line: int, fields: list[str], positions: list[tuple[Column, int]], agencies: Mapping[str, int]
) -> tuple[dict, list[RowError]]:
    """Each value of a row parsed by its column (blank where missing), and the errors of those that are not."""
    values: dict = {}
    errors: list[RowError] = []
    for column, position in positions:
        raw = fields[position].strip()
        if not raw:
            if column.required:
                errors.append(
                    RowError(line, column.name, f"The {column.label} is missing: every row needs one.")
                )
            values[column.name] = _blank(column)
            continue
        try:
            values[column.name] = _parse(column, raw, agencies)
        except _Bad as exc:
            errors.append(RowError(line, column.name, str(exc)))
    return values, errors


class _RowCheck:
    """The checks across a row's parsed values; a column already in error is not checked again."""

    def __init__(self, line: int, values: dict[str, Any], errors: list[RowError]) -> None:
        self.line = line
        self.get = values.get
        self.errors = errors
        self.bad = {error.column for error in errors}

    def ok(self, *names: str) -> bool:
        return not self.bad or self.bad.isdisjoint(names)

    def fail(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.line, name, message))
        self.bad.add(name)

    def date(self, name: str) -> dt.date | None:
        """A date column's value (None where it is blank, or in error)."""
        value: dt.date | None = self.get(name)
        return value

    def dates(self, today: dt.date) -> None:
        """No date in the future, and the dates in their order."""
        ok, fail, date = self.ok, self.fail, self.date
        born = date("date_of_birth")
        if ok("date_of_birth") and born and born > today:
            fail("date_of_birth", f"The date of birth ({born:%Y-%m-%d}) is in the future.")
        for name in _EVENT_DATES:
            day = date(name)
            if ok(name) and day and day > today:
                fail(name, f"The {COLUMN_BY_NAME[name].label} ({day:%Y-%m-%d}) is in the future.")
        for early, late in (
            ("date_of_birth", "request_date"),
            ("request_date", "decision_date"),
            ("request_date", "final_plan_date"),
            ("final_plan_date", "plan_end_date"),
        ):
            earlier, later = date(early), date(late)
            if ok(early, late) and earlier and later and later < earlier:
                fail(
                    late,
                    f"The {COLUMN_BY_NAME[late].label} ({later:%Y-%m-%d}) is before the "
                    f"{COLUMN_BY_NAME[early].label} ({earlier:%Y-%m-%d}).",
                )

    def request_and_decision(self) -> None:
        """A decision only after a request, and a decision date with what was decided."""
        ok, fail, get = self.ok, self.fail, self.get
        if ok("request_date") and not get("request_date"):
            for name in ("decision_date", "will_assess", "exception"):
                if get(name) not in (None, ""):
                    fail(
                        "request_date",
                        f"The request date is missing, but the row has a {COLUMN_BY_NAME[name].label}.",
                    )
                    break
        if ok("decision_date", "will_assess") and (get("decision_date") is None) != (
            get("will_assess") is None
        ):
            if get("decision_date") is None:
                fail("decision_date", "The decision date is missing, but will_assess says what was decided.")
            else:
                fail("will_assess", "Enter Y or N in will_assess: the row has a decision date.")
        if ok("will_assess", "final_plan_date") and get("will_assess") is False and get("final_plan_date"):
            fail("final_plan_date", "A final plan cannot follow a decision not to assess (will_assess is N).")

    def plan_end(self) -> None:
        """A plan end date and reason together."""
        get = self.get
        if self.ok("plan_end_date", "plan_end_reason") and bool(get("plan_end_date")) != bool(
            get("plan_end_reason")
        ):
            if get("plan_end_date"):
                allowed = ", ".join(value for value, _ in COLUMN_BY_NAME["plan_end_reason"].codes)
                self.fail(
                    "plan_end_reason",
                    f"The plan end reason is missing, but the row has a plan end date. Use one of: {allowed}.",
                )
            else:
                self.fail("plan_end_date", "The plan end date is missing, but the row has a plan end reason.")


def _check_row(
    line: int,
    fields: list[str],
    positions: list[tuple[Column, int]],
    agencies: Mapping[str, int],
    today: dt.date,
) -> tuple[dict, list[RowError]]:
    values, errors = _parse_fields(line, fields, positions, agencies)
    check = _RowCheck(line, values, errors)
    check.dates(today)
    check.request_and_decision()
    check.plan_end()
    return values, errors


def _read_records(text: str) -> list[tuple[int, list[str]]] | Validation:
    """The non-blank rows of the file with their physical lines, or a Validation that refuses the file."""
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    last_line = 0
    try:
        for fields in reader:
            line, last_line = last_line + 1, reader.line_num
            if any(value.strip() for value in fields):
                records.append((line, fields))
    except csv.Error as exc:
        return Validation(errors=[RowError(last_line + 1, "", f"This line cannot be read as CSV ({exc}).")])
    if not records:
        return Validation(errors=[RowError(1, "", "The file is empty.")])
    return records


def _header_index(header_line: int, header: list[str], errors: list[RowError]) -> dict[str, int]:
    """Each known column's position in the header; unknown, repeated and missing columns are errors."""
    index: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = _header_name(raw)
        if name in index:
            errors.append(RowError(header_line, name, f"The column {name} is in the header twice."))
        elif name not in COLUMN_BY_NAME:
            shown = raw.strip() or f"number {position + 1}"
            errors.append(
                RowError(
                    header_line,
                    raw.strip(),
                    f"Column {shown} is not one QAF knows. Use only "
                    f"these columns: {', '.join(COLUMN_BY_NAME)}.",
                )
            )
        else:
            index[name] = position
    for column in COLUMNS:
        if column.name not in index and not column.optional_column:
            errors.append(
                RowError(
                    header_line,
                    column.name,
                    f"The header has no {column.name} column. It is "
                    "needed even if every value in it is blank.",
                )
            )
    return index


def _header_positions(header_line: int, header: list[str], validation: Validation) -> dict[str, int] | None:
    """The header's column positions, or None when the header (or a file without rows) is refused."""
    errors = validation.errors
    if len(header) == 1 and any(separator in header[0] for separator in ";\t|"):
        errors.append(
            RowError(
                header_line,
                "",
                "The values must be separated by commas, not semicolons or "
                "tabs. Save the file from your spreadsheet as ‘CSV UTF-8’.",
            )
        )
        return None
    index = _header_index(header_line, header, errors)
    if errors:
        return None
    if validation.rows_total == 0:
        errors.append(
            RowError(header_line, "", "The file has a header row but no rows of children under it.")
        )
        return None
    return index


def _sen2_row(line: int, values: dict, index: Mapping[str, int]) -> Sen2Row:
    return Sen2Row(
        line=line,
        agency_ids=values.get("agencies") if "agencies" in index else None,
        # A blank flag means N; a flag column left out of the file keeps what is held.
        looked_after=bool(values.get("looked_after")) if "looked_after" in index else None,
        child_in_need=bool(values.get("child_in_need")) if "child_in_need" in index else None,
        exception=values.get("exception") if "exception" in index else None,
        **{name: values[name] for name in _ROW_FIELDS},
    )


def _repeated_reference(line: int, values: dict, first_line_of: dict[str, int]) -> RowError | None:
    """The error of a case reference already on an earlier row (else it is remembered)."""
    reference = values.get("case_reference")
    if not reference:
        return None
    if reference in first_line_of:
        return RowError(
            line,
            "case_reference",
            f"Case reference {reference} is also on "
            f"line {first_line_of[reference]}: each child must be on one row.",
        )
    first_line_of[reference] = line
    return None


def _check_rows(
    records: list[tuple[int, list[str]]],
    width: int,
    index: Mapping[str, int],
    validation: Validation,
    *,
    agencies: Mapping[str, int],
    today: dt.date,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    errors = validation.errors
    positions = [(column, index[column.name]) for column in COLUMNS if column.name in index]
    first_line_of: dict[str, int] = {}
    if on_progress:
        on_progress(0, validation.rows_total)
    for checked, (line, fields) in enumerate(records, start=1):
        if len(fields) < width or any(value.strip() for value in fields[width:]):
            errors.append(
                RowError(
                    line,
                    "",
                    f"This row has {len(fields)} values but the header has {width} "
                    "columns. A value with a comma in it must be inside double quotes.",
                )
            )
            continue
        values, row_errors = _check_row(line, fields, positions, agencies, today)
        if repeated := _repeated_reference(line, values, first_line_of):
            row_errors.insert(0, repeated)
        if row_errors:
            errors.extend(sorted(row_errors, key=lambda error: _COLUMN_ORDER.get(error.column, -1)))
        elif not errors:  # once the file is refused, keeping good rows is wasted work
            validation.rows.append(_sen2_row(line, values, index))
        if on_progress and checked % BATCH_ROWS == 0:
            on_progress(checked, validation.rows_total)


def validate_rows(
    text: str,
    *,
    agencies: Mapping[str, int] | None = None,
    today: dt.date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Validation:
    """Parse and check the text of a SEN2-shaped CSV file without touching the database.

    `agencies` maps lower-cased agency names of the partnership to their ids (the agencies column is checked
    against it); `today` is the date that dates may not be after. Every problem is reported with its physical
    line (header = line 1), column and reason; `on_progress(rows_checked, rows_total)` is called every
    BATCH_ROWS rows. Never raises for bad input.
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Validation(errors=[RowError(1, "", "The file is empty.")])
    records = _read_records(text)
    if isinstance(records, Validation):
        return records
    header_line, header = records[0]
    while header and not header[-1].strip():  # spreadsheets often add empty columns at the end
        header.pop()
    validation = Validation(rows_total=len(records) - 1)
    index = _header_positions(header_line, header, validation)
    if index is None:
        return validation
    validation.columns = frozenset(index)
    _check_rows(
        records[1:],
        len(header),
        index,
        validation,
        agencies=agencies or {},
        today=today or timezone.localdate(),
        on_progress=on_progress,
    )
    if validation.errors:
        validation.rows = []
    return validation


_ROW_FIELDS = (
    "case_reference",
    "initials",
    "date_of_birth",
    "primary_need",
    "setting_type",
    "request_date",
    "decision_date",
    "will_assess",
    "final_plan_date",
    "last_review_date",
    "plan_end_date",
    "plan_end_reason",
)
