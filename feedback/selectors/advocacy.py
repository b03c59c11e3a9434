"""Reads of advocacy returns: the list's filters, the activity grid of one return, and the CSV columns.

Every function takes a queryset already scoped by feedback.access (advocacy.visible), so nothing here
widens what a user sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from feedback.models import (
    AdvocacyActivity,
    AdvocacyActivityType,
    AdvocacyLevel,
    AdvocacyReturn,
    quarter_dates,
    quarter_of,
)
from qaf.models import Agency

# Every cell of the return's grid, in the order the form, the detail page and the CSV show them.
GRID: list[tuple[str, str]] = [
    (t, level) for t in AdvocacyActivityType.values for level in AdvocacyLevel.values
]


def advocacy_returns_listed(queryset: QuerySet[AdvocacyReturn]) -> QuerySet[AdvocacyReturn]:
    """The returns as the list shows them: newest quarter first, with their agency, each annotated with
    `activity_total` (the sum of its activity counts)."""
    return (
        queryset.select_related("agency")
        .annotate(activity_total=Coalesce(Sum("activities__count"), Value(0)))
        .order_by("-year", "-quarter", "agency__name", "pk")
    )


def with_activities(queryset: QuerySet[AdvocacyReturn]) -> QuerySet[AdvocacyReturn]:
    """The returns with their activity rows prefetched (one query for any number of returns)."""
    return queryset.prefetch_related(
        Prefetch("activities", queryset=AdvocacyActivity.objects.order_by("activity_type", "level"))
    )


def activity_counts(advocacy_return: AdvocacyReturn) -> dict[tuple[str, str], int]:
    """The return's counts keyed by (activity type, level); cells never filled in are 0."""
    counts = dict.fromkeys(GRID, 0)
    for activity in advocacy_return.activities.all():
        counts[(activity.activity_type, activity.level)] = activity.count
    return counts


@dataclass
class GridRow:
    """One activity type's counts per level of the advocacy grid."""

    activity_type: str
    label: str
    cells: list[tuple[str, int]] = field(default_factory=list)  # (level, count)

    @property
    def total(self) -> int:
        """The activity type's count over every level."""
        return sum(count for _, count in self.cells)


@dataclass
class ActivityGrid:
    """The advocacy activity grid: one row per activity type and the totals per level."""

    rows: list[GridRow]
    level_totals: list[tuple[str, int]]

    @property
    def total(self) -> int:
        """The count over every activity type and level."""
        return sum(count for _, count in self.level_totals)


def activity_grid(counts: dict[tuple[str, str], int]) -> ActivityGrid:
    """The counts as a table: one row per activity type, one column per level, with row and column totals."""
    labels = dict(AdvocacyActivityType.choices)
    rows = [
        GridRow(t, labels[t], [(level, counts.get((t, level), 0)) for level in AdvocacyLevel.values])
        for t in AdvocacyActivityType.values
    ]
    level_totals = [
        (level, sum(counts.get((t, level), 0) for t in AdvocacyActivityType.values))
        for level in AdvocacyLevel.values
    ]
    return ActivityGrid(rows=rows, level_totals=level_totals)


def cell_label(activity_type: str, level: str) -> str:
    """How one cell is named to a screen reader and in the CSV: "Casework support, level 3"."""
    return f"{AdvocacyActivityType(activity_type).label}, level {level}"


def csv_header() -> list[str]:
    """The CSV's columns: the return, then one column per activity type and level, then the prose."""
    return [
        "Return",
        "Agency",
        "Year",
        "Quarter",
        "From",
        "To",
        "Status",
        "Submitted on",
        "Total activity",
        *(cell_label(t, level) for t, level in GRID),
        "Complaints received",
        "Compliments received",
        "Outcomes",
        "Feedback received",
        "Challenges",
        "Learning",
    ]


def csv_rows(returns: Iterable[AdvocacyReturn]) -> Iterable[list[object]]:
    """One row per return, in `csv_header`'s order. The returns must carry their activities (`with_activities`)."""
    for row in returns:
        counts = activity_counts(row)
        start, end = quarter_dates(row.year, row.quarter)
        yield [
            row.pk,
            row.agency.name,
            row.year,
            f"Q{row.quarter}",
            start.isoformat(),
            end.isoformat(),
            row.get_status_display(),
            timezone.localtime(row.submitted_at).date().isoformat() if row.submitted_at else "",
            sum(counts.values()),
            *(counts[cell] for cell in GRID),
            row.complaints_received,
            row.compliments_received,
            row.outcomes,
            row.feedback,
            row.challenges,
            row.learning,
        ]


def quarter_label(year: int, quarter: int) -> str:
    """The quarter in words: "2026 Q3 (July to September)"."""
    start, end = quarter_dates(year, quarter)
    return f"{year} Q{quarter} ({start:%B} to {end:%B})"


def previous_quarter(today: dt.date) -> tuple[int, int]:
    """The last quarter that has ended: the one a return is usually written for."""
    year, quarter = quarter_of(today)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def new_return_quarter(agencies: QuerySet[Agency], today: dt.date) -> tuple[int, int]:
    """The (year, quarter) a new return starts at: the last quarter that ended, or this one when the first of
    `agencies` (by name: the services the user writes for) already has a return for that. One query."""
    year, quarter = previous_quarter(today)
    agency = agencies.order_by("name").first()
    if agency and AdvocacyReturn.objects.filter(agency=agency, year=year, quarter=quarter).exists():
        return quarter_of(today)
    return year, quarter


def advocacy_years(queryset: QuerySet[AdvocacyReturn], today: dt.date) -> list[int]:
    """The years the list's year filter offers: those with a return the user sees, and this year."""
    years = set(queryset.order_by().values_list("year", flat=True).distinct())
    years.add(today.year)
    return sorted(years, reverse=True)


def level_headings() -> list[tuple[str, str, str]]:
    """Each level as (value, short heading, description): ("3", "Level 3", "individual casework and ...")."""
    headings = []
    for value, label in AdvocacyLevel.choices:
        short, _, description = label.partition(": ")
        headings.append((value, short, description))
    return headings
