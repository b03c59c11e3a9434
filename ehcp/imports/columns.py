"""The columns of a SEN2-shaped CSV file (COLUMNS), their code tables, and how header names are read.

The columns are documented in docs/sen2-csv.md and listed on the upload page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ehcp.codes import AssessmentException, PlanEndReason, PrimaryNeed, SettingType


@dataclass(frozen=True)
class Column:
    """One column of the SEN2-shaped CSV file."""

    name: str
    kind: str  # text, initials, date, yes_no, code, agencies
    meaning: str
    required: bool = False  # a value is needed on every row
    optional_column: bool = False  # the column may be left out of the header
    codes: tuple[tuple[str, str], ...] = ()
    code_kind: str = ""

    @property
    def label(self) -> str:
        """The column's name in plain words, for messages."""
        return self.name.replace("_", " ")

    @property
    def format(self) -> str:
        return {
            "text": "Text, up to 40 characters",
            "initials": "1 to 4 letters",
            "date": "Date: YYYY-MM-DD or DD/MM/YYYY",
            "yes_no": "Y or N",
            "code": "A code from the list",
            "agencies": "Agency names separated by ;",
        }[self.kind]

    @property
    def requirement(self) -> str:
        if self.required:
            return "Required on every row"
        if self.optional_column:
            return "Optional: the column may be left out"
        return "Column required, value may be blank"


def _codes(choices) -> tuple[tuple[str, str], ...]:
    return tuple((value, label) for value, label in choices.choices if value)


_MATCHED = "Children are matched on it, so importing the same reference again updates the child."
COLUMNS: tuple[Column, ...] = (
    Column("case_reference", "text", f"The council's case reference for the child. {_MATCHED}", required=True),
    Column("initials", "initials", "The child's initials (no names are held).", required=True),
    Column("date_of_birth", "date", "Date of birth.", required=True),
    Column("primary_need", "code", "Primary type of need, as the SEN2 return codes it.", required=True,
           codes=_codes(PrimaryNeed), code_kind="SEN2 primary need code"),
    Column("setting_type", "code", "Where the child or young person is educated.", required=True,
           codes=_codes(SettingType), code_kind="setting type code"),
    Column("looked_after", "yes_no", "Looked after by the local authority? Blank means N.", optional_column=True),
    Column("child_in_need", "yes_no", "A child in need (Children Act 1989 s.17)? Blank means N.",
           optional_column=True),
    Column("request_date", "date", "When the EHC needs assessment was requested. Blank when there was no "
           "request to this council, such as for a plan transferred from another one."),
    Column("decision_date", "date", "When the council decided whether to assess. Blank until decided; "
           "needs will_assess."),
    Column("will_assess", "yes_no", "The decision: Y to assess, N not to. Blank until decided; needs "
           "decision_date."),
    Column("exception", "code", "An exception to the 20-week timescale, if one applies.", optional_column=True,
           codes=_codes(AssessmentException), code_kind="20-week exception code"),
    Column("final_plan_date", "date", "When the final EHC plan was issued. Blank if none has been yet."),
    Column("last_review_date", "date", "When the last annual review meeting was held. Blank if none has been."),
    Column("plan_end_date", "date", "When the plan ceased. Blank while it is in force; needs plan_end_reason."),
    Column("plan_end_reason", "code", "Why the plan ceased. Blank while it is in force; needs plan_end_date.",
           codes=_codes(PlanEndReason), code_kind="plan end reason code"),
    Column("agencies", "agencies", "The partnership's agencies involved with the child, by their names in QAF, "
           "separated by ;. When the column is in the file the child's agencies become exactly these (blank: "
           "none); leave the column out to keep the agencies already recorded.", optional_column=True),
)  # fmt: skip
COLUMN_BY_NAME = {column.name: column for column in COLUMNS}
_COLUMN_ORDER = {column.name: position for position, column in enumerate(COLUMNS)}
_ALLOWED_CODES = {column.name: frozenset(value for value, _ in column.codes) for column in COLUMNS}
_EVENT_DATES = ("request_date", "decision_date", "final_plan_date", "last_review_date", "plan_end_date")


def _header_name(raw: str) -> str:
    return re.sub(r"[\s\-]+", "_", raw.strip().lower())
