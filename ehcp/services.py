"""Writes for children, needs assessments, plans and annual reviews.

Each service validates, writes, and keeps `Child.next_review_due_on` (what the list filters "review
overdue" on) true to the child's plans and reviews. Callers check access first (ehcp/access.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ehcp import timeliness
from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan, PlanKind
from qaf.models import Agency, Partnership, User

CHILD_FIELDS = (
    "case_reference",
    "initials",
    "date_of_birth",
    "primary_need",
    "setting_type",
    "looked_after",
    "child_in_need",
    "caseworker",
    "plan_ended_on",
    "plan_end_reason",
)


def next_review_due_for(
    *,
    date_of_birth: dt.date,
    plan_ended_on: dt.date | None,
    last_final_plan_on: dt.date | None,
    last_review_meeting_on: dt.date | None,
    open_review_due_on: dt.date | None,
) -> dt.date | None:
    """When the child's next annual review is due: the date of a scheduled review not yet held, otherwise
    12 months (6 for under-5s) after the later of the last final plan and the last review meeting."""
    if plan_ended_on is not None:
        return None
    if open_review_due_on is not None:
        return open_review_due_on
    anchors = [d for d in (last_final_plan_on, last_review_meeting_on) if d is not None]
    if not anchors:
        return None
    return timeliness.next_review_due(max(anchors), date_of_birth)


def child_refresh_review_due(*, child: Child) -> None:
    """Recompute and store the child's next review date from their plans and reviews."""
    last_final = (
        child.plans.filter(kind=PlanKind.FINAL).order_by("-issued_on").values_list("issued_on", flat=True)
    )
    last_meeting = (
        child.reviews.exclude(meeting_on=None).order_by("-meeting_on").values_list("meeting_on", flat=True)
    )
    open_due = child.reviews.filter(meeting_on=None).order_by("due_on").values_list("due_on", flat=True)
    child.next_review_due_on = next_review_due_for(
        date_of_birth=child.date_of_birth,
        plan_ended_on=child.plan_ended_on,
        last_final_plan_on=last_final.first(),
        last_review_meeting_on=last_meeting.first(),
        open_review_due_on=open_due.first(),
    )
    Child.objects.filter(pk=child.pk).update(next_review_due_on=child.next_review_due_on)


def _check_agencies(partnership: Partnership, agencies: Iterable[Agency]) -> list[Agency]:
    agencies = list(agencies)
    if any(a.partnership_id != partnership.id for a in agencies):
        raise ValidationError({"agencies": "Choose agencies of this partnership."})
    return agencies


def _check_case_reference(
    partnership: Partnership, case_reference: str, exclude_pk: int | None = None
) -> None:
    clash = Child.objects.filter(partnership=partnership, case_reference=case_reference)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"case_reference": "Another child already has this case reference"})


def _check_caseworker(partnership: Partnership, caseworker: User | None) -> None:
    if caseworker is not None and caseworker.partnership_id != partnership.id:
        raise ValidationError({"caseworker": "Choose a caseworker of this partnership."})


@transaction.atomic
def child_create(*, partnership: Partnership, agencies: Iterable[Agency] = (), **fields: Any) -> Child:
    """Create a child. Raises ValidationError on bad or duplicate values (case reference is unique)."""
    agencies = _check_agencies(partnership, agencies)
    _check_caseworker(partnership, fields.get("caseworker"))
    _check_case_reference(partnership, fields.get("case_reference", ""))
    child = Child(partnership=partnership, **{k: v for k, v in fields.items() if k in CHILD_FIELDS})
    child.full_clean()
    child.save()
    child.agencies.set(agencies)
    child_refresh_review_due(child=child)
    return child


@transaction.atomic
def child_update(*, child: Child, agencies: Iterable[Agency] | None = None, **fields: Any) -> Child:
    """Change a child's record. Raises ValidationError on bad values."""
    _check_caseworker(child.partnership, fields.get("caseworker"))
    if "case_reference" in fields:
        _check_case_reference(child.partnership, fields["case_reference"], exclude_pk=child.pk)
    for name, value in fields.items():
        if name in CHILD_FIELDS:
            setattr(child, name, value)
    child.full_clean()
    child.save()
    if agencies is not None:
        child.agencies.set(_check_agencies(child.partnership, agencies))
    child_refresh_review_due(child=child)
    return child


def _check_order(pairs: list[tuple[str, dt.date | None, str, dt.date | None]]) -> None:
    errors = {}
    for early_name, early, late_name, late in pairs:
        if early and late and late < early:
            errors[late_name] = f"This date must be on or after the {early_name.replace('_', ' ')}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assessment_save(
    *, child: Child, assessment: NeedsAssessment | None = None, **fields: Any
) -> NeedsAssessment:
    """Create or change a needs assessment. When the final plan date is given, the final plan is recorded too."""
    assessment = assessment or NeedsAssessment(child=child)
    for name, value in fields.items():
        setattr(assessment, name, value)
    _check_order(
        [
            ("request date", assessment.requested_on, "decision_on", assessment.decision_on),
            (
                "request date",
                assessment.requested_on,
                "final_plan_issued_on",
                assessment.final_plan_issued_on,
            ),
        ]
    )
    if assessment.will_assess is False and assessment.final_plan_issued_on:
        raise ValidationError(
            {"final_plan_issued_on": "A final plan cannot follow a decision not to assess."}
        )
    assessment.full_clean()
    assessment.save()
    if (
        assessment.final_plan_issued_on
        and not child.plans.filter(assessment=assessment, kind=PlanKind.FINAL).exists()
    ):
        plan_create(
            child=child, kind=PlanKind.FINAL, issued_on=assessment.final_plan_issued_on, assessment=assessment
        )
    child_refresh_review_due(child=child)
    return assessment


@transaction.atomic
def plan_create(
    *,
    child: Child,
    kind: str,
    issued_on: dt.date,
    assessment: NeedsAssessment | None = None,
    review: AnnualReview | None = None,
) -> Plan:
    """Record an issued draft or final plan; the version number follows the child's previous ones of that kind."""
    last = child.plans.filter(kind=kind).order_by("-version").values_list("version", flat=True).first()
    plan = Plan(
        child=child,
        kind=kind,
        issued_on=issued_on,
        assessment=assessment,
        review=review,
        version=(last or 0) + 1,
    )
    plan.full_clean()
    plan.save()
    child_refresh_review_due(child=child)
    return plan


def plan_record(*, child: Child, kind: str, issued_on: dt.date) -> Plan:
    """Record a plan issued on the page: it belongs to the child's latest needs assessment requested on or
    before its issue date (none if there is none). Raises ValidationError as plan_create does."""
    assessment = child.assessments.filter(requested_on__lte=issued_on).order_by("-requested_on").first()
    return plan_create(child=child, kind=kind, issued_on=issued_on, assessment=assessment)


@transaction.atomic
def review_save(*, child: Child, review: AnnualReview | None = None, **fields: Any) -> AnnualReview:
    """Create or change an annual review. A new review with no due date is due by the statutory rule.
    Recording an amended plan date records the amended final plan too."""
    review = review or AnnualReview(child=child)
    for name, value in fields.items():
        setattr(review, name, value)
    if review.due_on is None:
        if child.next_review_due_on is None:
            raise ValidationError({"due_on": "Enter the date the review is due."})
        review.due_on = child.next_review_due_on
    if review.plan_id is None:
        review.plan = child.plans.filter(kind=PlanKind.FINAL).order_by("-issued_on").first()
    _check_order(
        [
            ("meeting date", review.meeting_on, "decision_on", review.decision_on),
            ("decision date", review.decision_on, "amended_plan_issued_on", review.amended_plan_issued_on),
        ]
    )
    if review.amended_plan_issued_on and review.decision != "amend":
        raise ValidationError(
            {"amended_plan_issued_on": "Only a decision to amend leads to an amended plan."}
        )
    review.full_clean()
    review.save()
    if review.amended_plan_issued_on and not child.plans.filter(review=review).exists():
        plan_create(child=child, kind=PlanKind.FINAL, issued_on=review.amended_plan_issued_on, review=review)
    child_refresh_review_due(child=child)
    return review
