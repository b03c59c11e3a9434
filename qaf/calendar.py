"""The English academic calendar: default term and half-term dates, and which term a date falls in.

Defaults cover the whole year with no gaps, so every audit, complaint or response belongs to a term:
autumn 1 September–31 December, spring 1 January–31 March, summer 1 April–31 August, each in two half
terms. Partnerships edit them to match their schools' dates.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

# (term number, name, start (month, day), end (month, day), half terms [(number, start, end)])
DEFAULT_TERMS = [
    (1, "autumn", (9, 1), (12, 31), [(1, (9, 1), (10, 31)), (2, (11, 1), (12, 31))]),
    (2, "spring", (1, 1), (3, 31), [(3, (1, 1), (2, 14)), (4, (2, 15), (3, 31))]),
    (3, "summer", (4, 1), (8, 31), [(5, (4, 1), (5, 31)), (6, (6, 1), (8, 31))]),
]


def academic_year_start(day: dt.date) -> int:
    """The calendar year in which the academic year containing `day` began."""
    return day.year if day.month >= 9 else day.year - 1


def default_date(start_year: int, month_day: tuple[int, int]) -> dt.date:
    month, day = month_day
    return dt.date(start_year if month >= 9 else start_year + 1, month, day)


def due_on_errors(due_on: dt.date | None) -> dict[str, str]:
    """The error on "due_on" for a due date that is missing or already past (today is allowed), as every
    service that sets a due date (remedial actions, scheduled audits) refuses it; empty when it is good."""
    if due_on is None:
        return {"due_on": "Enter the due date"}
    if due_on < timezone.localdate():
        return {"due_on": "The due date must be today or in the future"}
    return {}
