"""Reads for children and their plans: filtered lists, the child page, timelines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, DateField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.utils import timezone

from ehcp import access, timeliness
from ehcp.codes import PrimaryNeed
from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan
from qaf.access import WORKING_ROLES, get_for_user_or_404
from qaf.models import Agency, AgencyKind, User


def children_for_list(user: User) -> QuerySet[Child]:
    """The children the user may see, ready for one page of the list (caseworker joined); ehcp.filters
    narrows them."""
    return access.children.visible(user).select_related("caseworker").order_by("case_reference")


def agencies_for_filter(user: User) -> QuerySet[Agency]:
    """Agencies offered in the list's agency filter: all of the partnership's for users who see every child,
    otherwise the user's own."""
    return access.children.filter_agencies(user).order_by("name")


def caseworkers_for(partnership_id: int) -> QuerySet[User]:
    """Users who can be a child's responsible caseworker: working members of a statutory assessment team."""
    return (
        User.objects.filter(
            partnership_id=partnership_id,
            is_active=True,
            memberships__agency__kind=AgencyKind.SAT,
            memberships__role__in=WORKING_ROLES,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def child_for_page(user: User, pk: int) -> Child:
    """The child with everything its page shows, in a fixed number of queries. Http404 if not visible."""
    queryset = (
        access.children.visible(user)
        .select_related("caseworker")
        .prefetch_related(
            Prefetch("agencies", queryset=Agency.objects.order_by("name")),
            Prefetch("assessments", queryset=NeedsAssessment.objects.order_by("-requested_on")),
            Prefetch("plans", queryset=Plan.objects.order_by("-issued_on", "-version")),
            Prefetch("reviews", queryset=AnnualReview.objects.order_by("-due_on")),
        )
    )
    return get_for_user_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class TimelineEvent:
    """One event on a child's timeline, with the status of its deadline where it has one."""

    day: dt.date
    title: str
    detail: str = ""
    status: str = ""  # a Deadline status: met, late, overdue, due; or "" for plain events


def _assessment_events(assessment: NeedsAssessment, today: dt.date) -> list[TimelineEvent]:
    events = [TimelineEvent(assessment.requested_on, "Needs assessment requested")]
    if assessment.decision_on:
        decisions: dict[bool | None, str] = {True: "Decided to assess", False: "Decided not to assess"}
        decision = decisions.get(assessment.will_assess, "Decision on whether to assess")
        deadline = assessment.deadlines(today)[0]
        events.append(
            TimelineEvent(
                assessment.decision_on,
                decision,
                f"{deadline.weeks_taken} weeks after the request (due within 6)",
                deadline.status,
            )
        )
    if assessment.exception:
        events.append(
            TimelineEvent(
                assessment.requested_on,
                "Exception to the 20 weeks recorded",
                assessment.get_exception_display(),
            )
        )
    return events


def _plan_event(child: Child, plan: Plan) -> TimelineEvent:
    detail = ""
    status = ""
    if plan.kind == "final" and plan.assessment_id:
        assessment = next((a for a in child.assessments.all() if a.pk == plan.assessment_id), None)
        if assessment:
            weeks = timeliness.weeks_between(assessment.requested_on, plan.issued_on)
            on_time = plan.issued_on <= assessment.final_plan_due_on
            detail = f"{weeks} weeks after the request (due within 20)"
            status = "met" if on_time else "late"
    elif plan.review_id:
        detail = "Amended after an annual review"
    return TimelineEvent(
        plan.issued_on,
        f"{plan.get_kind_display()} plan issued (version {plan.version})",
        detail,
        status,
    )


def _review_events(review: AnnualReview, today: dt.date) -> list[TimelineEvent]:
    if review.meeting_on:
        late = review.meeting_on > review.due_on
        events = [
            TimelineEvent(
                review.meeting_on,
                "Annual review meeting held",
                f"Due by {review.due_on:%-d %B %Y}",
                "late" if late else "met",
            )
        ]
    else:
        events = [
            TimelineEvent(
                review.due_on,
                "Annual review due",
                "Not yet held",
                "overdue" if review.due_on < today else "due",
            )
        ]
    if review.decision_on:
        events.append(TimelineEvent(review.decision_on, "Review decision", review.get_decision_display()))
    return events


def child_timeline(child: Child, today: dt.date | None = None) -> list[TimelineEvent]:
    """Every dated event of a child's assessments, plans and reviews, newest first (uses prefetched rows)."""
    today = today or timezone.localdate()
    events: list[TimelineEvent] = []
    for assessment in child.assessments.all():
        events.extend(_assessment_events(assessment, today))
    events.extend(_plan_event(child, plan) for plan in child.plans.all())
    for review in child.reviews.all():
        events.extend(_review_events(review, today))
    if child.plan_ended_on:
        events.append(TimelineEvent(child.plan_ended_on, "Plan ceased", child.get_plan_end_reason_display()))
    events.sort(key=lambda e: e.day, reverse=True)
    return events


@dataclass(frozen=True)
class PlanFigures:
    """Headline statutory figures over a set of children (the whole partnership, or an agency's)."""

    children: int
    active_plans: int
    in_assessment: int
    finals_last_year: int
    finals_within_20_weeks: int
    reviews_overdue: int
    reviews_due_soon: int
    need_mix: list[tuple[str, str, int, float]]  # (code, label, count, percent)

    @property
    def percent_within_20_weeks(self) -> float | None:
        """The share of last year's final plans issued within 20 weeks, to one decimal place; None without
        plans."""
        if not self.finals_last_year:
            return None
        return round(100 * self.finals_within_20_weeks / self.finals_last_year, 1)


def plan_figures(children: QuerySet[Child], today: dt.date | None = None) -> PlanFigures:
    """Headline figures for a scoped queryset of children, in five queries whatever its size.

    'Within 20 weeks' follows the national measure: final plans issued in the last 12 months, excluding
    those with a recorded exception."""
    today = today or timezone.localdate()
    counts = children.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(plan_ended_on=None, next_review_due_on__lt=today)),
        due_soon=Count(
            "pk",
            filter=Q(
                plan_ended_on=None,
                next_review_due_on__gte=today,
                next_review_due_on__lte=today + timedelta(days=30),
            ),
        ),
        active=Count("pk", filter=Q(plan_ended_on=None, next_review_due_on__isnull=False)),
    )
    assessments = NeedsAssessment.objects.filter(child__in=children)
    in_assessment = (
        assessments.filter(final_plan_issued_on=None)
        .exclude(will_assess=False)
        .filter(child__plan_ended_on=None, requested_on__gte=today - timedelta(weeks=52))
        .count()
    )
    due = ExpressionWrapper(
        F("requested_on") + timedelta(weeks=timeliness.FINAL_PLAN_WEEKS), output_field=DateField()
    )
    finals = (
        assessments.filter(
            final_plan_issued_on__gt=today - timedelta(days=365), final_plan_issued_on__lte=today
        )
        .filter(exception="")
        .annotate(due=due)
        .aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(final_plan_issued_on__lte=F("due"))))
    )
    needs = dict(
        children.values_list("primary_need").annotate(n=Count("pk")).values_list("primary_need", "n")
    )
    total = counts["total"] or 0
    mix = sorted(
        (
            (code, label, needs.get(code, 0), round(100 * needs.get(code, 0) / total, 1) if total else 0.0)
            for code, label in PrimaryNeed.choices
            if needs.get(code)
        ),
        key=lambda row: -row[2],
    )
    return PlanFigures(
        children=total,
        active_plans=counts["active"] or 0,
        in_assessment=in_assessment,
        finals_last_year=finals["total"] or 0,
        finals_within_20_weeks=finals["on_time"] or 0,
        reviews_overdue=counts["overdue"] or 0,
        reviews_due_soon=counts["due_soon"] or 0,
        need_mix=mix,
    )
