"""Reads of complaints and compliments: what the list filters use, the response clock, and the quarterly
analysis. The lists' filters are feedback.filters.

Every function takes a queryset already scoped by feedback.access, so nothing here widens what a user sees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncQuarter

from ehcp.timeliness import working_days_between
from feedback.models import Complaint, ComplaintCategory, ComplaintOutcome, ComplaintStage, Compliment
from qaf.figures import percent
from qaf.models import Term


def overdue_q(today: dt.date) -> Q:
    """Not yet responded to, and the response date has passed."""
    return Q(responded_on__isnull=True, response_due_on__lt=today)


def term_range(queryset: QuerySet[Any], term_id: int) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a term of the queryset's partnership; None for another partnership's, so
    that it matches nothing rather than widening the list."""
    term = (
        Term.objects.filter(pk=term_id, academic_year__partnership_id__in=queryset.values("partnership_id"))
        .values_list("starts_on", "ends_on")
        .first()
    )
    return term


@dataclass(frozen=True)
class ResponseClock:
    """Where a complaint stands against its response date."""

    status: str  # "responded", "on_time" (responded by the date), "late", "open", "due_today", "overdue"
    working_days: int  # left when open, past the date when overdue or late

    @property
    def label(self) -> str:
        """The clock in words: responded on time, responded late by so many working days, or days left."""
        days = f"{self.working_days} working day{'' if self.working_days == 1 else 's'}"
        return {
            "on_time": "Responded on time",
            "late": f"Responded {days} late",
            "open": f"{days} left",
            "due_today": "Due today",
            "overdue": f"Overdue by {days}",
        }[self.status]


def response_clock(complaint: Complaint, today: dt.date) -> ResponseClock:
    """The response clock in working days (weekends and bank holidays skipped)."""
    due = complaint.response_due_on
    if complaint.responded_on is not None:
        late = working_days_between(due, complaint.responded_on)
        return ResponseClock("late", late) if late > 0 else ResponseClock("on_time", 0)
    if today == due:
        return ResponseClock("due_today", 0)
    if today < due:
        return ResponseClock("open", working_days_between(today, due))
    return ResponseClock("overdue", working_days_between(due, today))


@dataclass
class Quarter:
    """One quarter of the complaints log: received, responded, on time and the breakdowns."""

    starts_on: dt.date
    total: int = 0
    responded: int = 0
    on_time: int = 0
    by_category: dict[str, int] | None = None
    by_stage: dict[str, int] | None = None
    by_outcome: dict[str, int] | None = None
    by_theme: dict[str, int] | None = None
    compliments: int = 0

    @property
    def label(self) -> str:
        """The quarter's months and year: "Jan–Mar 2026"."""
        end = (self.starts_on.month + 1) % 12 + 1
        return f"{self.starts_on:%b}–{dt.date(2000, end, 1):%b} {self.starts_on.year}"

    @property
    def breakdowns(self) -> list[tuple[str, dict[str, int]]]:
        """The quarter's counts by category, stage, outcome and theme, each with its heading."""
        return [
            ("By category", self.by_category or {}),
            ("By stage", self.by_stage or {}),
            ("By outcome", self.by_outcome or {}),
            ("By theme", self.by_theme or {}),
        ]

    @property
    def on_time_percent(self) -> int | None:
        """The share of responses sent on time, as a whole percentage; None before any response."""
        return percent(self.on_time, self.responded)


CATEGORY_LABELS = dict(ComplaintCategory.choices)
STAGE_LABELS = dict(ComplaintStage.choices)
OUTCOME_LABELS = {**dict(ComplaintOutcome.choices), "": "Not decided"}


def complaints_by_quarter(
    complaints: QuerySet[Complaint], compliments: QuerySet[Compliment]
) -> list[Quarter]:
    """Counts per calendar quarter of the date received, newest first: complaints by category, stage,
    outcome and theme, the share of responses made by the due date, and compliments received.
    A fixed number of aggregate queries whatever the number of rows; returns counts only."""
    quarters: dict[dt.date, Quarter] = defaultdict(lambda: Quarter(dt.date.min))

    def quarter(start: dt.date | dt.datetime) -> Quarter:
        day = start.date() if isinstance(start, dt.datetime) else start
        row = quarters[day]
        row.starts_on = day
        return row

    per_quarter = complaints.annotate(q=TruncQuarter("received_on")).order_by()
    totals = per_quarter.values("q").annotate(
        total=Count("pk"),
        responded=Count("pk", filter=Q(responded_on__isnull=False)),
        on_time=Count("pk", filter=Q(responded_on__lte=F("response_due_on"))),
    )
    for row in totals:
        q = quarter(row["q"])
        q.total, q.responded, q.on_time = row["total"], row["responded"], row["on_time"]
    for field, attr, labels in (
        ("category", "by_category", CATEGORY_LABELS),
        ("stage", "by_stage", STAGE_LABELS),
        ("outcome", "by_outcome", OUTCOME_LABELS),
        ("themes__name", "by_theme", None),
    ):
        rows = per_quarter.values("q", field).annotate(n=Count("pk")).order_by("q", field)
        for group in rows:
            if group[field] is None:
                continue
            q = quarter(group["q"])
            counts = getattr(q, attr) or {}
            counts[labels[group[field]] if labels else group[field]] = group["n"]
            setattr(q, attr, counts)
    liked = compliments.annotate(q=TruncQuarter("received_on")).order_by().values("q").annotate(n=Count("pk"))
    for liked_row in liked:
        quarter(liked_row["q"]).compliments = liked_row["n"]
    return sorted(quarters.values(), key=lambda q: q.starts_on, reverse=True)


# --- CSV downloads and remedial actions raised from a complaint -------------------------------------------------

COMPLAINT_CSV_COLUMNS = [
    "id",
    "received",
    "agency",
    "category",
    "stage",
    "case reference",
    "summary",
    "response due",
    "responded",
    "response",
    "outcome",
    "Ombudsman reference",
    "Ombudsman outcome",
    "remedy",
    "themes",
    "learning",
]
COMPLIMENT_CSV_COLUMNS = ["id", "received", "agency", "from", "about", "summary", "themes"]


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _theme_names(row: Complaint | Compliment) -> str:
    return "; ".join(sorted(theme.name for theme in row.themes.all()))


Logged = TypeVar("Logged", Complaint, Compliment)


def _csv_each(rows: QuerySet[Logged], *related: str) -> Iterator[Logged]:
    """`rows` with their agency, `related` and themes, read 500 at a time: three queries per 500 rows."""
    return rows.select_related("agency", *related).prefetch_related("themes").iterator(chunk_size=500)


def _logged_cells(row: Complaint | Compliment) -> list[object]:
    """The columns both CSVs start with: id, date received, agency."""
    return [row.pk, _iso(row.received_on), row.agency.name]


def complaint_csv_rows(complaints: QuerySet[Complaint], *, today: dt.date) -> Iterator[list[object]]:
    """One row per complaint of `complaints` (already filtered and ordered), under COMPLAINT_CSV_COLUMNS: the
    case reference (as the list shows it), never a name. Three queries per 500 rows."""
    for complaint in _csv_each(complaints, "child"):
        yield [
            *_logged_cells(complaint),
            complaint.get_category_display(),
            complaint.get_stage_display(),
            complaint.child.case_reference if complaint.child else "",
            complaint.summary,
            _iso(complaint.response_due_on),
            _iso(complaint.responded_on),
            response_clock(complaint, today).label,
            complaint.get_outcome_display(),
            complaint.lgsco_reference,
            complaint.lgsco_outcome,
            complaint.remedy,
            _theme_names(complaint),
            complaint.learning,
        ]


def compliment_csv_rows(compliments: QuerySet[Compliment]) -> Iterator[list[object]]:
    """One row per compliment of `compliments` (already filtered and ordered), under COMPLIMENT_CSV_COLUMNS."""
    for compliment in _csv_each(compliments):
        yield [
            *_logged_cells(compliment),
            compliment.get_from_whom_display(),
            compliment.about,
            compliment.summary,
            _theme_names(compliment),
        ]
