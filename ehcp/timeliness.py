"""Statutory timescales for EHC needs assessments and reviews (SEND Regulations 2014, Code of Practice 2015).

Every function is pure: dates in, dates or figures out. Working days skip weekends and England and Wales
bank holidays, taken from the maintained `holidays` package rather than a list kept here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays
from dateutil.relativedelta import relativedelta

if TYPE_CHECKING:
    from ehcp.models import AnnualReview, NeedsAssessment

DECISION_WEEKS = 6
FINAL_PLAN_WEEKS = 20
ADVICE_WEEKS = 6
DRAFT_COMMENT_DAYS = 15
REVIEW_MONTHS = 12
REVIEW_MONTHS_UNDER_5 = 6
REVIEW_DECISION_WEEKS = 4
AMENDED_PLAN_WEEKS = 8


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # England and Wales share one list of bank holidays; subdivision ENG gives it.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself not counted). Negative days go back."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    # Whole weeks in one step, then the remainder day by day, subtracting weekday bank holidays.
    whole_weeks = (end - start).days // 7
    count += whole_weeks * 5
    day = start + dt.timedelta(days=whole_weeks * 7)
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    years = range(start.year, end.year + 1)
    for year in years:
        for holiday in _bank_holidays(year):
            if start < holiday <= end and holiday.weekday() < 5:
                count -= 1
    return count


def add_weeks(start: dt.date, weeks: int) -> dt.date:
    return start + dt.timedelta(weeks=weeks)


def weeks_between(start: dt.date, end: dt.date) -> float:
    return round((end - start).days / 7, 1)


def academic_year_start(day: dt.date) -> int:
    """The calendar year in which the English academic year containing `day` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def year_group(date_of_birth: dt.date, on: dt.date) -> int:
    """National curriculum year on `on`: reception is 0, year 1 is 1 ... (children born Sept–Aug share a year)."""
    birth_cohort = academic_year_start(date_of_birth)
    return academic_year_start(on) - birth_cohort - 5


def key_stage(year: int) -> str:
    """Key stage for a national curriculum year: EY, KS1–KS5, or POST19 for young people beyond year 13."""
    if year < 1:
        return "EY"
    if year <= 2:
        return "KS1"
    if year <= 6:
        return "KS2"
    if year <= 9:
        return "KS3"
    if year <= 11:
        return "KS4"
    if year <= 13:
        return "KS5"
    return "POST19"


KEY_STAGES = [
    ("EY", "Early years (before year 1)"),
    ("KS1", "Key stage 1 (years 1–2)"),
    ("KS2", "Key stage 2 (years 3–6)"),
    ("KS3", "Key stage 3 (years 7–9)"),
    ("KS4", "Key stage 4 (years 10–11)"),
    ("KS5", "Post-16 (years 12–13)"),
    ("POST19", "Post-19"),
]


def birth_date_range_for_key_stage(stage: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """Dates of birth of children in `stage` on `on`, so lists can filter key stage with a date range."""
    bounds = {
        "EY": (-5, 0),
        "KS1": (1, 2),
        "KS2": (3, 6),
        "KS3": (7, 9),
        "KS4": (10, 11),
        "KS5": (12, 13),
        "POST19": (14, 20),
    }
    low_year, high_year = bounds[stage]
    current = academic_year_start(on)
    # A child in year Y was born in the academic year starting current - Y - 5.
    earliest = dt.date(current - high_year - 5, 9, 1)
    latest = dt.date(current - low_year - 5 + 1, 8, 31)
    return earliest, latest


def next_review_due(last_date: dt.date, date_of_birth: dt.date) -> dt.date:
    """When the next annual review is due after a plan was issued or last reviewed on `last_date`."""
    months = REVIEW_MONTHS_UNDER_5 if _age_on(date_of_birth, last_date) < 5 else REVIEW_MONTHS
    return last_date + relativedelta(months=months)


def _age_on(date_of_birth: dt.date, day: dt.date) -> int:
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@dataclass(frozen=True)
class Deadline:
    """One statutory step: when it was due, when it was done, and how that compares."""

    label: str
    starts_on: dt.date
    due_on: dt.date
    done_on: dt.date | None
    today: dt.date

    @property
    def status(self) -> str:
        """'met', 'late', 'overdue' (not done, past due) or 'due' (not done yet, still in time)."""
        if self.done_on is not None:
            return "met" if self.done_on <= self.due_on else "late"
        return "overdue" if self.today > self.due_on else "due"

    @property
    def status_label(self) -> str:
        return {"met": "On time", "late": "Late", "overdue": "Overdue", "due": "Due"}[self.status]

    @property
    def weeks_taken(self) -> float | None:
        end = self.done_on
        return None if end is None else weeks_between(self.starts_on, end)

    @property
    def working_days_taken(self) -> int | None:
        end = self.done_on
        return None if end is None else working_days_between(self.starts_on, end)

    @property
    def working_days_late(self) -> int:
        """Working days past the due date: at completion if done, else up to today. Zero if in time."""
        end = self.done_on or self.today
        return max(0, working_days_between(self.due_on, end))


def assessment_deadlines(assessment: NeedsAssessment, today: dt.date) -> list[Deadline]:
    steps = [
        Deadline(
            "Decision whether to assess (6 weeks)",
            assessment.requested_on,
            add_weeks(assessment.requested_on, DECISION_WEEKS),
            assessment.decision_on,
            today,
        )
    ]
    if assessment.will_assess is not False:
        steps.append(
            Deadline(
                "Final plan issued (20 weeks)",
                assessment.requested_on,
                add_weeks(assessment.requested_on, FINAL_PLAN_WEEKS),
                assessment.final_plan_issued_on,
                today,
            )
        )
    return steps


def review_deadlines(review: AnnualReview, today: dt.date) -> list[Deadline]:
    start = review.due_on - relativedelta(months=REVIEW_MONTHS)
    steps = [Deadline("Review meeting held", start, review.due_on, review.meeting_on, today)]
    if review.meeting_on:
        steps.append(
            Deadline(
                "Decision after the review (4 weeks)",
                review.meeting_on,
                add_weeks(review.meeting_on, REVIEW_DECISION_WEEKS),
                review.decision_on,
                today,
            )
        )
    if review.decision_on and review.decision == "amend":
        steps.append(
            Deadline(
                "Amended plan issued (8 weeks)",
                review.decision_on,
                add_weeks(review.decision_on, AMENDED_PLAN_WEEKS),
                review.amended_plan_issued_on,
                today,
            )
        )
    return steps


def phase_transfer_deadline(year_group_next: int, transfer_year: int) -> dt.date:
    """Plans for a phase transfer are due by 15 February, or 31 March for a move into post-16."""
    if year_group_next >= 12:
        return dt.date(transfer_year, 3, 31)
    return dt.date(transfer_year, 2, 15)
