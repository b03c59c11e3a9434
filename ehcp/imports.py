"""Import of SEN2-shaped CSV files: one row per child, every row imported or none.

- `child_import_create` refuses oversize and non-UTF-8 uploads, stores the upload as a ChildImport and queues
  `ehcp.tasks.child_import_run` once the transaction commits.
- `validate_rows` parses and checks the text of a file. It is pure: no database reads or writes.
- `child_import_run` validates the stored file and, when every row is good, writes all of them in one
  transaction (`rows_write`), upserting children by case reference within the importer's partnership.

The columns (COLUMNS) are documented in docs/sen2-csv.md and listed on the upload page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ehcp import access, services, tasks, timeliness
from ehcp.codes import AssessmentException, PlanEndReason, PrimaryNeed, SettingType
from ehcp.models import AnnualReview, Child, ChildImport, ImportStatus, NeedsAssessment, Plan, PlanKind
from qaf.access import get_for_user_or_404
from qaf.models import Agency, Partnership, User

logger = logging.getLogger(__name__)

# Rows written per round of bulk queries; the number of queries per round is fixed (about a dozen).
BATCH_ROWS = 1000
# Validation is much quicker than writing; this is its share of the progress shown while an import runs.
CHECK_SHARE = 0.1


@dataclass(frozen=True)
class Column:
    """One column of the SEN2-shaped CSV file."""

    name: str
    label: str  # plain words for messages
    kind: str  # text, initials, date, yes_no, code, agencies
    meaning: str
    required: bool = False  # a value is needed on every row
    optional_column: bool = False  # the column may be left out of the header
    codes: tuple[tuple[str, str], ...] = ()
    code_kind: str = ""

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


COLUMNS: tuple[Column, ...] = (
    Column("case_reference", "case reference", "text", "The council's case reference for the child or young "
           "person. Children are matched on it, so importing the same reference again updates the child.",
           required=True),
    Column("initials", "initials", "initials", "The child's initials (no names are held).", required=True),
    Column("date_of_birth", "date of birth", "date", "Date of birth.", required=True),
    Column("primary_need", "primary need", "code", "Primary type of need, as the SEN2 return codes it.",
           required=True, codes=_codes(PrimaryNeed), code_kind="SEN2 primary need code"),
    Column("setting_type", "setting type", "code", "Where the child or young person is educated.",
           required=True, codes=_codes(SettingType), code_kind="setting type code"),
    Column("looked_after", "looked after", "yes_no", "Is the child looked after by the local authority? "
           "Blank means N.", optional_column=True),
    Column("child_in_need", "child in need", "yes_no", "Is the child a child in need (Children Act 1989 "
           "s.17)? Blank means N.", optional_column=True),
    Column("request_date", "request date", "date", "When the EHC needs assessment was requested. Blank when "
           "there was no request to this council, such as a plan transferred from another one."),
    Column("decision_date", "decision date", "date", "When the council decided whether to assess. Blank "
           "until decided; needs will_assess."),
    Column("will_assess", "will assess", "yes_no", "The decision: Y to assess, N not to. Blank until decided; "
           "needs decision_date."),
    Column("exception", "exception", "code", "An exception to the 20-week timescale, if one applies.",
           optional_column=True, codes=_codes(AssessmentException), code_kind="20-week exception code"),
    Column("final_plan_date", "final plan date", "date", "When the final EHC plan was issued. Blank if none "
           "has been issued yet."),
    Column("last_review_date", "last review date", "date", "When the last annual review meeting was held. "
           "Blank if none has been held."),
    Column("plan_end_date", "plan end date", "date", "When the plan ceased. Blank while the plan is in force; "
           "needs plan_end_reason."),
    Column("plan_end_reason", "plan end reason", "code", "Why the plan ceased. Blank while the plan is in "
           "force; needs plan_end_date.", codes=_codes(PlanEndReason), code_kind="plan end reason code"),
    Column("agencies", "agencies", "agencies", "The agencies of the partnership involved with the child, by "
           "their names in QAF, separated by ;. When the column is in the file, the child's agencies become "
           "exactly these (blank: none); leave the column out to keep the agencies already recorded.",
           optional_column=True),
)
COLUMN_BY_NAME = {column.name: column for column in COLUMNS}
_COLUMN_ORDER = {column.name: position for position, column in enumerate(COLUMNS)}
_ALLOWED_CODES = {column.name: frozenset(value for value, _ in column.codes) for column in COLUMNS}
_EVENT_DATES = ("request_date", "decision_date", "final_plan_date", "last_review_date", "plan_end_date")


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


# --- Parsing values -------------------------------------------------------------------------------

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


def _parse(column: Column, raw: str, agencies: Mapping[str, int]):
    kind = column.kind
    if kind == "date":
        try:
            return parse_date(raw)
        except ValueError as exc:
            raise _Bad(str(exc)) from None
    if kind == "code":
        code = raw.upper()
        if code not in _ALLOWED_CODES[column.name]:
            allowed = ", ".join(value for value, _ in column.codes)
            raise _Bad(f"‘{raw}’ is not a {column.code_kind}. Use one of: {allowed}.")
        return code
    if kind == "yes_no":
        answer = raw.lower()
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        raise _Bad(f"‘{raw}’ is not Y or N.")
    if kind == "initials":
        letters = raw.replace(".", "").replace(" ", "")
        if not (1 <= len(letters) <= 4 and letters.isalpha()):
            raise _Bad(f"‘{raw}’ is not initials: use 1 to 4 letters, like AB.")
        return letters.upper()
    if kind == "agencies":
        names = [name.strip() for name in raw.split(";") if name.strip()]
        unknown = [name for name in names if name.lower() not in agencies]
        if unknown:
            listed = "; ".join(f"‘{name}’" for name in unknown)
            known = sorted(agencies)
            hint = f" The agencies are: {'; '.join(known)}." if 0 < len(known) <= 15 else ""
            raise _Bad(f"{listed} {'is not an agency' if len(unknown) == 1 else 'are not agencies'} of this "
                       f"partnership. Use the agency names in QAF, separated by ;.{hint}")
        return tuple(dict.fromkeys(agencies[name.lower()] for name in names))
    if len(raw) > 40:
        raise _Bad(f"The {column.label} is longer than 40 characters.")
    return raw


def _blank(column: Column):
    return {"code": "", "agencies": ()}.get(column.kind)


def _check_row(
    line: int, fields: list[str], positions: list[tuple[Column, int]], agencies: Mapping[str, int], today: dt.date
) -> tuple[dict, list[RowError]]:
    values: dict = {}
    errors: list[RowError] = []
    for column, position in positions:
        raw = fields[position].strip()
        if not raw:
            if column.required:
                errors.append(RowError(line, column.name, f"The {column.label} is missing: every row needs one."))
            values[column.name] = _blank(column)
            continue
        try:
            values[column.name] = _parse(column, raw, agencies)
        except _Bad as exc:
            errors.append(RowError(line, column.name, str(exc)))
    bad = {error.column for error in errors}

    def ok(*names: str) -> bool:
        return not bad or bad.isdisjoint(names)

    def fail(name: str, message: str) -> None:
        errors.append(RowError(line, name, message))
        bad.add(name)

    get = values.get
    if ok("date_of_birth") and get("date_of_birth") and get("date_of_birth") > today:
        fail("date_of_birth", f"The date of birth ({get('date_of_birth'):%Y-%m-%d}) is in the future.")
    for name in _EVENT_DATES:
        if ok(name) and get(name) and get(name) > today:
            fail(name, f"The {COLUMN_BY_NAME[name].label} ({get(name):%Y-%m-%d}) is in the future.")
    for early, late in (
        ("date_of_birth", "request_date"),
        ("request_date", "decision_date"),
        ("request_date", "final_plan_date"),
        ("final_plan_date", "plan_end_date"),
    ):
        if ok(early, late) and get(early) and get(late) and get(late) < get(early):
            fail(late, f"The {COLUMN_BY_NAME[late].label} ({get(late):%Y-%m-%d}) is before the "
                       f"{COLUMN_BY_NAME[early].label} ({get(early):%Y-%m-%d}).")
    if ok("request_date") and not get("request_date"):
        for name in ("decision_date", "will_assess", "exception"):
            if get(name) not in (None, ""):
                fail("request_date", f"The request date is missing, but the row has a {COLUMN_BY_NAME[name].label}.")
                break
    if ok("decision_date", "will_assess") and (get("decision_date") is None) != (get("will_assess") is None):
        if get("decision_date") is None:
            fail("decision_date", "The decision date is missing, but will_assess says what was decided.")
        else:
            fail("will_assess", "Enter Y or N in will_assess: the row has a decision date.")
    if ok("will_assess", "final_plan_date") and get("will_assess") is False and get("final_plan_date"):
        fail("final_plan_date", "A final plan cannot follow a decision not to assess (will_assess is N).")
    if ok("plan_end_date", "plan_end_reason") and bool(get("plan_end_date")) != bool(get("plan_end_reason")):
        if get("plan_end_date"):
            allowed = ", ".join(value for value, _ in COLUMN_BY_NAME["plan_end_reason"].codes)
            fail("plan_end_reason", f"The plan end reason is missing, but the row has a plan end date. "
                                    f"Use one of: {allowed}.")
        else:
            fail("plan_end_date", "The plan end date is missing, but the row has a plan end reason.")
    return values, errors


def _header_name(raw: str) -> str:
    return re.sub(r"[\s\-]+", "_", raw.strip().lower())


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
    agencies = agencies or {}
    today = today or timezone.localdate()
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Validation(errors=[RowError(1, "", "The file is empty.")])
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

    header_line, header = records[0]
    while header and not header[-1].strip():  # spreadsheets often add empty columns at the end
        header.pop()
    validation = Validation(rows_total=len(records) - 1)
    errors = validation.errors
    if len(header) == 1 and any(separator in header[0] for separator in ";\t|"):
        errors.append(RowError(header_line, "", "The values must be separated by commas, not semicolons or "
                                                "tabs. Save the file from your spreadsheet as ‘CSV UTF-8’."))
        return validation
    index: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = _header_name(raw)
        if name in index:
            errors.append(RowError(header_line, name, f"The column {name} is in the header twice."))
        elif name not in COLUMN_BY_NAME:
            shown = raw.strip() or f"number {position + 1}"
            errors.append(RowError(header_line, raw.strip(), f"Column {shown} is not one QAF knows. Use only "
                                   f"these columns: {', '.join(COLUMN_BY_NAME)}."))
        else:
            index[name] = position
    for column in COLUMNS:
        if column.name not in index and not column.optional_column:
            errors.append(RowError(header_line, column.name, f"The header has no {column.name} column. It is "
                                                             "needed even if every value in it is blank."))
    if errors:
        return validation
    if validation.rows_total == 0:
        errors.append(RowError(header_line, "", "The file has a header row but no rows of children under it."))
        return validation

    validation.columns = frozenset(index)
    positions = [(column, index[column.name]) for column in COLUMNS if column.name in index]
    width = len(header)
    first_line_of: dict[str, int] = {}
    if on_progress:
        on_progress(0, validation.rows_total)
    for checked, (line, fields) in enumerate(records[1:], start=1):
        if len(fields) < width or any(value.strip() for value in fields[width:]):
            errors.append(RowError(line, "", f"This row has {len(fields)} values but the header has {width} "
                                   "columns. A value with a comma in it must be inside double quotes."))
            continue
        values, row_errors = _check_row(line, fields, positions, agencies, today)
        reference = values.get("case_reference")
        if reference:
            if reference in first_line_of:
                row_errors.insert(0, RowError(line, "case_reference", f"Case reference {reference} is also on "
                                              f"line {first_line_of[reference]}: each child must be on one row."))
            else:
                first_line_of[reference] = line
        if row_errors:
            errors.extend(sorted(row_errors, key=lambda error: _COLUMN_ORDER.get(error.column, -1)))
        elif not errors:  # once the file is refused, keeping good rows is wasted work
            validation.rows.append(
                Sen2Row(
                    line=line,
                    agency_ids=values.get("agencies") if "agencies" in index else None,
                    # A blank flag means N; a flag column left out of the file keeps what is held.
                    looked_after=bool(values.get("looked_after")) if "looked_after" in index else None,
                    child_in_need=bool(values.get("child_in_need")) if "child_in_need" in index else None,
                    exception=values.get("exception") if "exception" in index else None,
                    **{name: values[name] for name in _ROW_FIELDS},
                )
            )
        if on_progress and checked % BATCH_ROWS == 0:
            on_progress(checked, validation.rows_total)
    if errors:
        validation.rows = []
    return validation


_ROW_FIELDS = (
    "case_reference", "initials", "date_of_birth", "primary_need", "setting_type", "request_date",
    "decision_date", "will_assess", "final_plan_date", "last_review_date", "plan_end_date", "plan_end_reason",
)


# --- Writing --------------------------------------------------------------------------------------

_CHILD_FIELDS = (
    "initials", "date_of_birth", "primary_need", "setting_type", "looked_after", "child_in_need",
    "plan_ended_on", "plan_end_reason", "next_review_due_on",
)
_ASSESSMENT_FIELDS = ("decision_on", "will_assess", "exception", "final_plan_issued_on")


@dataclass
class _Held:
    """What the database already holds for one existing child."""

    assessments: list[NeedsAssessment] = field(default_factory=list)
    finals: list[Plan] = field(default_factory=list)
    reviews: list[AnnualReview] = field(default_factory=list)
    agency_links: dict[int, int] = field(default_factory=dict)  # agency id -> through row id


def rows_write(
    *,
    partnership: Partnership,
    rows: Sequence[Sen2Row],
    columns: frozenset[str],
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Write checked rows into the partnership: the write step of `child_import_run`.

    Upserts each child by case reference and records its assessment (matched on request date), final plan,
    last review, plan end and next review date; optional columns not in `columns` leave what is held alone.
    Call it inside a transaction. Returns (children created, children updated). A fixed number of queries per
    BATCH_ROWS rows.
    """
    created = updated = 0
    for start in range(0, len(rows), BATCH_ROWS):
        batch = rows[start : start + BATCH_ROWS]
        batch_created, batch_updated = _write_batch(partnership, batch, columns)
        created += batch_created
        updated += batch_updated
        if on_progress:
            on_progress(start + len(batch), len(rows))
    return created, updated


def _load_held(partnership: Partnership, batch: Sequence[Sen2Row], agencies_given: bool):
    children = {
        child.case_reference: child
        for child in Child.objects.filter(
            partnership=partnership, case_reference__in=[row.case_reference for row in batch]
        )
    }
    held: dict[int, _Held] = {child.pk: _Held() for child in children.values()}
    if held:
        ids = list(held)
        for assessment in NeedsAssessment.objects.filter(child_id__in=ids).order_by("pk"):
            held[assessment.child_id].assessments.append(assessment)
        plans = Plan.objects.filter(child_id__in=ids, kind=PlanKind.FINAL).only("child_id", "issued_on", "version")
        for plan in plans:
            held[plan.child_id].finals.append(plan)
        for review in AnnualReview.objects.filter(child_id__in=ids).only("child_id", "due_on", "meeting_on"):
            held[review.child_id].reviews.append(review)
        if agencies_given:
            links = Child.agencies.through.objects.filter(child_id__in=ids).values_list("pk", "child_id", "agency_id")
            for link_id, child_id, agency_id in links:
                held[child_id].agency_links[agency_id] = link_id
    return children, held


def _write_batch(partnership: Partnership, batch: Sequence[Sen2Row], columns: frozenset[str]) -> tuple[int, int]:
    agencies_given = "agencies" in columns
    children, held = _load_held(partnership, batch, agencies_given)
    now = timezone.now()
    new_children: list[Child] = []
    changed_children: list[Child] = []
    new_assessments: list[NeedsAssessment] = []
    changed_assessments: list[NeedsAssessment] = []
    new_plans: list[Plan] = []
    new_reviews: list[AnnualReview] = []
    held_reviews: list[AnnualReview] = []
    links_to_add: list[tuple[Child, int]] = []
    links_to_remove: list[int] = []

    for row in batch:
        child = children.get(row.case_reference)
        if child is None:
            child = Child(partnership=partnership, case_reference=row.case_reference)
            record = _Held()
            new_children.append(child)
            before = None
        else:
            record = held[child.pk]
            before = tuple(getattr(child, name) for name in _CHILD_FIELDS)
        child.initials = row.initials
        child.date_of_birth = row.date_of_birth
        child.primary_need = row.primary_need
        child.setting_type = row.setting_type
        if row.looked_after is not None:
            child.looked_after = row.looked_after
        if row.child_in_need is not None:
            child.child_in_need = row.child_in_need
        child.plan_ended_on = row.plan_end_date
        child.plan_end_reason = row.plan_end_reason

        assessment = None
        if row.request_date:
            assessment = next((a for a in record.assessments if a.requested_on == row.request_date), None)
            if assessment is None:
                assessment = NeedsAssessment(child=child, requested_on=row.request_date)
                new_assessments.append(assessment)
                assessment_before = None
            else:
                assessment_before = tuple(getattr(assessment, name) for name in _ASSESSMENT_FIELDS)
            assessment.decision_on = row.decision_date
            assessment.will_assess = row.will_assess
            if row.exception is not None:
                assessment.exception = row.exception
            assessment.final_plan_issued_on = row.final_plan_date
            if assessment_before is not None and assessment_before != tuple(
                getattr(assessment, name) for name in _ASSESSMENT_FIELDS
            ):
                changed_assessments.append(assessment)

        if row.final_plan_date and not any(plan.issued_on == row.final_plan_date for plan in record.finals):
            plan = Plan(
                child=child,
                assessment=assessment,
                kind=PlanKind.FINAL,
                issued_on=row.final_plan_date,
                version=max((plan.version for plan in record.finals), default=0) + 1,
            )
            record.finals.append(plan)
            new_plans.append(plan)

        if row.last_review_date:
            _record_review(child, record, row.last_review_date, new_reviews, held_reviews)

        meetings = [review.meeting_on for review in record.reviews if review.meeting_on]
        child.next_review_due_on = services.next_review_due_for(
            date_of_birth=child.date_of_birth,
            plan_ended_on=child.plan_ended_on,
            last_final_plan_on=max((plan.issued_on for plan in record.finals), default=None),
            last_review_meeting_on=max(meetings, default=None),
            open_review_due_on=min((r.due_on for r in record.reviews if r.meeting_on is None), default=None),
        )
        if before is not None and before != tuple(getattr(child, name) for name in _CHILD_FIELDS):
            child.updated_at = now
            changed_children.append(child)

        if agencies_given:
            wanted = set(row.agency_ids or ())
            links_to_add.extend((child, agency_id) for agency_id in wanted if agency_id not in record.agency_links)
            links_to_remove.extend(link for agency_id, link in record.agency_links.items() if agency_id not in wanted)

    # Children first (the bulk inserts return their ids), then the rows that point at them, in order.
    Child.objects.bulk_create(new_children)
    if changed_children:
        Child.objects.bulk_update(changed_children, [*_CHILD_FIELDS, "updated_at"])
    NeedsAssessment.objects.bulk_create(new_assessments)
    if changed_assessments:
        NeedsAssessment.objects.bulk_update(changed_assessments, list(_ASSESSMENT_FIELDS))
    Plan.objects.bulk_create(new_plans)
    AnnualReview.objects.bulk_create(new_reviews)
    if held_reviews:
        AnnualReview.objects.bulk_update(held_reviews, ["meeting_on"])
    through = Child.agencies.through
    if links_to_remove:
        through.objects.filter(pk__in=links_to_remove).delete()
    through.objects.bulk_create([through(child_id=child.pk, agency_id=agency_id) for child, agency_id in links_to_add])
    return len(new_children), len(batch) - len(new_children)


def _record_review(
    child: Child, record: _Held, meeting_on: dt.date, new_reviews: list[AnnualReview], held_reviews: list[AnnualReview]
) -> None:
    """Record the last review meeting, unless one is held that day: on the open review of that cycle if QAF
    has one scheduled, otherwise as a new review due when the one before it (or the plan) made it due."""
    if any(review.meeting_on == meeting_on for review in record.reviews):
        return
    open_reviews = sorted(
        (r for r in record.reviews if r.meeting_on is None and r.due_on - relativedelta(months=timeliness.REVIEW_MONTHS) <= meeting_on),
        key=lambda r: r.due_on,
    )
    if open_reviews:
        open_reviews[0].meeting_on = meeting_on
        held_reviews.append(open_reviews[0])
        return
    earlier = [plan.issued_on for plan in record.finals if plan.issued_on < meeting_on]
    earlier += [review.meeting_on for review in record.reviews if review.meeting_on and review.meeting_on < meeting_on]
    due_on = timeliness.next_review_due(max(earlier), child.date_of_birth) if earlier else meeting_on
    plans_before = [plan for plan in record.finals if plan.issued_on <= meeting_on]
    review = AnnualReview(
        child=child,
        plan=max(plans_before, key=lambda plan: plan.issued_on, default=None),
        due_on=due_on,
        meeting_on=meeting_on,
    )
    record.reviews.append(review)
    new_reviews.append(review)


# --- The import, end to end -----------------------------------------------------------------------


def decode_upload(content_bytes: bytes) -> str:
    """The text of an uploaded file. Raises ValidationError when it is binary or not UTF-8 (a BOM is fine)."""
    if b"\x00" in content_bytes:
        raise ValidationError(
            "The selected file is not a CSV file. Save it from your spreadsheet as ‘CSV UTF-8’.", code="not_csv"
        )
    try:
        return content_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content_bytes.count(b"\n", 0, exc.start) + 1
        raise ValidationError(
            f"The selected file is not UTF-8 text (the first problem is on line {line}). Save it from your "
            "spreadsheet as ‘CSV UTF-8’ and upload it again.",
            code="not_utf8",
        ) from None


def size_label(size: int) -> str:
    """A byte count in words for messages: 20 MB, 512 KB, 100 bytes."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.3g} MB"
    return f"{size / 1024:.3g} KB" if size >= 1024 else f"{size} bytes"


def child_import_create(
    *, partnership: Partnership, user: User | None, filename: str, content_bytes: bytes, queue: bool = True
) -> ChildImport:
    """Store an upload and queue its import (`ehcp.tasks.child_import_run`, on commit) unless `queue` is False.

    Callers check `ehcp.access.can_import` first. Raises ValidationError, storing nothing, when the file is
    larger than settings.QAF_IMPORT_MAX_BYTES, binary or not UTF-8. The rows are checked by the run, not here.
    """
    limit = settings.QAF_IMPORT_MAX_BYTES
    if len(content_bytes) > limit:
        raise ValidationError(f"The selected file must be smaller than {size_label(limit)}.", code="too_large")
    text = decode_upload(content_bytes)
    with transaction.atomic():
        child_import = ChildImport.objects.create(
            partnership=partnership, uploaded_by=user, filename=filename[:255], content=text
        )
        if queue:
            tasks.child_import_run.delay_on_commit(child_import.pk)
    return child_import


def child_import_run(*, child_import: ChildImport) -> ChildImport:
    """Check the stored file and, if every row is good, import all of it in one transaction; else import nothing.

    Ends DONE (with counts) or FAILED (with every error). Idempotent: a finished import is returned as it is,
    and two runs at once are serialised on the partnership, so the second finds the first's result. A run
    that dies mid-way leaves nothing written and the import RUNNING, so a redelivered task runs it again.
    Call it outside a transaction (the task does): progress is published while it runs.
    """
    pk = child_import.pk
    started = ChildImport.objects.filter(pk=pk, status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), rows_done=0
    )
    if started:
        progress = _Progress(pk)
        try:
            _run(child_import, progress)
        except Exception:
            logger.exception("Child import %s stopped", pk)
            _finish(pk, status=ImportStatus.FAILED, rows_done=0, errors=[
                RowError(0, "", "The import stopped unexpectedly. Nothing was imported; try again, and if it "
                                "happens again tell your partnership admin.").as_dict()
            ])
        finally:
            progress.close()
    child_import.refresh_from_db()
    return child_import


def _run(child_import: ChildImport, progress: _Progress) -> None:
    agencies = {
        name.strip().lower(): agency_id
        for agency_id, name in Agency.objects.filter(partnership_id=child_import.partnership_id).values_list(
            "pk", "name"
        )
    }
    validation = validate_rows(child_import.content, agencies=agencies, on_progress=progress.checked)
    if validation.errors:
        _finish(child_import.pk, status=ImportStatus.FAILED, rows_total=validation.rows_total, rows_done=0,
                errors=[error.as_dict() for error in validation.errors])
        return
    with transaction.atomic():
        # One import per partnership at a time: a second run of this import waits here, then finds it done.
        partnership = Partnership.objects.select_for_update(no_key=True).get(pk=child_import.partnership_id)
        if ChildImport.objects.filter(pk=child_import.pk, status=ImportStatus.RUNNING).exists():
            created, updated = rows_write(
                partnership=partnership, rows=validation.rows, columns=validation.columns, on_progress=progress.written
            )
            total = len(validation.rows)
            _finish(child_import.pk, status=ImportStatus.DONE, rows_total=total, rows_done=total,
                    children_created=created, children_updated=updated, errors=[])


def _finish(pk: int, **fields) -> None:
    ChildImport.objects.filter(pk=pk, status=ImportStatus.RUNNING).update(finished_at=timezone.now(), **fields)


class _Progress:
    """Publishes ChildImport.rows_total/rows_done while an import runs, as one bar: checking is the first
    CHECK_SHARE of it, writing the rest.

    Writes made inside the import's own transaction would only show when it commits, so there progress goes
    through a second, autocommit connection (PostgreSQL only: on SQLite, the embedded mode, a second writer
    would wait for the first, so progress simply shows at the end).
    """

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self._side = None
        self._side_failed = False

    def checked(self, done: int, total: int) -> None:
        self._publish(total, int(done * CHECK_SHARE))

    def written(self, done: int, total: int) -> None:
        self._publish(total, int(total * CHECK_SHARE + done * (1 - CHECK_SHARE)))

    def _publish(self, total: int, done: int) -> None:
        if not connection.in_atomic_block:
            ChildImport.objects.filter(pk=self.pk, status=ImportStatus.RUNNING).update(rows_total=total, rows_done=done)
            return
        if connection.vendor != "postgresql" or self._side_failed:
            return
        try:
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self._side.cursor() as cursor:
                    # Never wait on a lock the import's own transaction might hold: skip progress instead.
                    cursor.execute("SET lock_timeout = '200ms'")
            table = self._side.ops.quote_name(ChildImport._meta.db_table)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_total = %s, rows_done = %s WHERE id = %s AND status = %s",
                    [total, done, self.pk, ImportStatus.RUNNING.value],
                )
        except DatabaseError:
            logger.warning("Progress of child import %s not published", self.pk, exc_info=True)
            self._side_failed = True

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


# --- Reads ----------------------------------------------------------------------------------------


def child_imports_for_user(user: User) -> QuerySet[ChildImport]:
    """The imports of the user's partnership, newest first, if they may import; none otherwise. The file's
    content (up to QAF_IMPORT_MAX_BYTES each) is left in the database."""
    if not access.can_import(user):
        return ChildImport.objects.none()
    return (
        ChildImport.objects.filter(partnership_id=user.partnership_id)
        .select_related("uploaded_by")
        .defer("content")
    )


def child_import_get_for_user(user: User, pk: int) -> ChildImport:
    """One import of the user's partnership; Http404 for another partnership's or one that does not exist.
    Callers check `ehcp.access.can_import` first (403)."""
    return get_for_user_or_404(child_imports_for_user(user), pk=pk)
