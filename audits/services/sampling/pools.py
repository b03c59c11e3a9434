"""The cases a Level 1 or 2 tool can audit, one pool-building function per kind of case.

A plan audit looks at a plan: a child is in its pool when a plan of the kind asked for (a draft, a final, or
either) was issued in the stated period. A review audit looks at an annual review: a child is in its pool
when an annual review meeting was held in the period. The case named is the child's latest such plan or
review in the period. A child with no plan (a request still being decided, an assessment the local
authority decided not to make) has neither, so is never drawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from audits.models import PlannedActivity, ToolKind
from audits.models.audits import PlanStage
from audits.services.sampling.draw import day
from ehcp.models import AnnualReview, Child, Plan, PlanKind
from qaf.models import HalfTerm

PLAN = "plan"
REVIEW = "review"
# What a plan sample asks for, in the words of the rule.
PLAN_WORDS = {PlanStage.DRAFT: "a draft plan", PlanStage.FINAL: "a final plan", "": "a draft or final plan"}


@dataclass(frozen=True)
class Period:
    """The dates a sampling pool is drawn from, both inclusive."""

    starts_on: dt.date
    ends_on: dt.date

    def __str__(self) -> str:
        return f"{day(self.starts_on)} to {day(self.ends_on)}"


@dataclass(frozen=True)
class Case:
    """The plan or review that puts a child in the pool, in words."""

    child_id: int
    plan_id: int | None
    reason: str


def case_kind(activity: PlannedActivity, stage: str) -> str:
    """What the activity's cases are: annual reviews for a review audit tool (or when the sample asks for
    reviews), plans otherwise."""
    tool = activity.tool
    if (tool is not None and tool.kind == ToolKind.REVIEW_AUDIT) or stage == PlanStage.REVIEW:
        return REVIEW
    return PLAN


def clean_stage(activity: PlannedActivity, stage: str) -> str:
    """The stage the sample asks for ("" for draft or final plans); ValidationError when it is not one the
    activity's tool can audit."""
    stage = stage or ""
    if stage not in ("", *PlanStage.values):
        raise ValidationError({"stage": "Choose what is audited"})
    tool = activity.tool
    if tool is not None and tool.kind == ToolKind.REVIEW_AUDIT:
        if stage not in ("", PlanStage.REVIEW):
            raise ValidationError({"stage": f"{tool.name} audits annual reviews: choose annual reviews"})
        return PlanStage.REVIEW
    return stage


def _activity_starts_on(activity: PlannedActivity) -> dt.date:
    if activity.half_term is not None:
        return activity.half_term.starts_on
    if activity.term is None:
        raise ValueError("An activity is planned for a half term or for a whole term")
    return activity.term.starts_on


def default_period(activity: PlannedActivity) -> Period:
    """The period a sample looks at unless told otherwise: from the start of the half term before the
    activity's own to the day before the activity's half term (or term) starts, so the holiday between them
    is included. Three months before the activity when no earlier half term is recorded."""
    starts_on = _activity_starts_on(activity)
    previous = (
        HalfTerm.objects.filter(
            term__academic_year__partnership_id=activity.plan.partnership_id, ends_on__lt=starts_on
        )
        .order_by("-ends_on")
        .first()
    )
    first = previous.starts_on if previous else starts_on - relativedelta(months=3)
    return Period(first, starts_on - dt.timedelta(days=1))


def clean_period(activity: PlannedActivity, starts_on: dt.date | None, ends_on: dt.date | None) -> Period:
    """The stated period, or the default one when neither date is given; ValidationError when only one is
    given or the period ends before it starts."""
    if starts_on is None and ends_on is None:
        return default_period(activity)
    if starts_on is None:
        raise ValidationError({"period_start": "Enter the date the period starts"})
    if ends_on is None:
        raise ValidationError({"period_end": "Enter the date the period ends"})
    if ends_on < starts_on:
        raise ValidationError({"period_end": "The period must end on or after the day it starts"})
    return Period(starts_on, ends_on)


def plan_cases(children: QuerySet[Child], *, stage: str, period: Period) -> dict[int, Case]:
    """Each child of `children` with a plan of the stage's kind (draft, final, or either for "") issued in
    the period, with their latest such plan. One query."""
    kinds_by_stage: dict[str, list[PlanKind]] = {
        PlanStage.DRAFT: [PlanKind.DRAFT],
        PlanStage.FINAL: [PlanKind.FINAL],
    }
    kinds = kinds_by_stage.get(stage, [PlanKind.DRAFT, PlanKind.FINAL])
    plans = (
        Plan.objects.filter(
            child__in=children, kind__in=kinds, issued_on__range=(period.starts_on, period.ends_on)
        )
        .order_by("child_id", "-issued_on", "-pk")
        .values_list("child_id", "pk", "kind", "issued_on")
    )
    cases: dict[int, Case] = {}
    for child_id, plan_id, kind, issued_on in plans:
        if child_id not in cases:
            label = PlanKind(kind).label
            cases[child_id] = Case(child_id, plan_id, f"{label} plan issued {day(issued_on)}.")
    return cases


def review_cases(children: QuerySet[Child], *, period: Period) -> dict[int, Case]:
    """Each child of `children` with an annual review meeting held in the period, with their latest such
    review (the case names the plan it reviewed). One query."""
    reviews = (
        AnnualReview.objects.filter(child__in=children, meeting_on__range=(period.starts_on, period.ends_on))
        .order_by("child_id", "-meeting_on", "-pk")
        .values_list("child_id", "plan_id", "meeting_on")
    )
    cases: dict[int, Case] = {}
    for child_id, plan_id, meeting_on in reviews:
        if child_id not in cases and meeting_on is not None:  # always set: the meeting is in the period
            cases[child_id] = Case(child_id, plan_id, f"Annual review held {day(meeting_on)}.")
    return cases


def cases_in_pool(children: QuerySet[Child], *, kind: str, stage: str, period: Period) -> dict[int, Case]:
    """The pool of the kind of case: plan_cases or review_cases."""
    if kind == REVIEW:
        return review_cases(children, period=period)
    return plan_cases(children, stage=stage, period=period)


def pool_words(kind: str, stage: str, period: Period) -> str:
    """The pool's rule in words, e.g. "a draft plan issued from 2 June 2025 to 31 August 2025"."""
    if kind == REVIEW:
        return f"an annual review held from {period}"
    return f"{PLAN_WORDS.get(stage, PLAN_WORDS[''])} issued from {period}"
