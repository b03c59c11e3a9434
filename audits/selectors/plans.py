"""Reads of the annual audit plan: the plan list, the plan page's progress by half term, the plan's history,
and what the scheduling and sample pages offer (auditors, the latest sample, the warnings to confirm).

Progress counts for one activity: planned (its planned count), scheduled (audits created from it), done
(submitted, moderated or closed) and late (still open after their due date). They are counts only, so every
member of the partnership, board members included, may read them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from audits import access
from audits.models import (
    Audit,
    AuditPlan,
    AuditStatus,
    PlannedActivity,
    Sample,
    SampleItem,
)
from qaf.access import WORKING_ROLES, get_for_user_or_404
from qaf.models import HalfTerm, Membership, Term, User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

DONE = (AuditStatus.SUBMITTED, AuditStatus.MODERATED, AuditStatus.CLOSED)
OPEN = (AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS)


class ProgressCounts(TypedDict):
    """The audit counts `with_progress` annotates an activity with."""

    scheduled: int
    done: int
    late: int


def with_progress(
    activities: QuerySet[PlannedActivity], today: dt.date
) -> QuerySet[WithAnnotations[PlannedActivity, ProgressCounts]]:
    """Annotate activities with `scheduled`, `done` and `late` audit counts (one grouped query)."""
    return activities.annotate(
        scheduled=Count("audits"),
        done=Count("audits", filter=Q(audits__status__in=DONE)),
        late=Count("audits", filter=Q(audits__status__in=OPEN, audits__due_on__lt=today)),
    )


def activities_for_plan(
    plan_id: int | None = None, *, today: dt.date | None = None
) -> QuerySet[WithAnnotations[PlannedActivity, ProgressCounts]]:
    """Activities with what the plan page and API show of them joined, and their progress counts."""
    queryset = PlannedActivity.objects.select_related(
        "theme", "term", "half_term", "lead_agency", "tool"
    ).order_by("half_term__number", "term__number", "level", "pk")
    if plan_id is not None:
        queryset = queryset.filter(plan_id=plan_id)
    return with_progress(queryset, today or timezone.localdate())


def _audit_count(**filters: Any) -> Coalesce:
    audits = (
        Audit.objects.filter(activity__plan_id=OuterRef("pk"), **filters)
        .order_by()
        .values("activity__plan_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(audits, output_field=IntegerField()), 0)


def plans_for_list(user: User, *, today: dt.date | None = None) -> QuerySet[AuditPlan]:
    """The plans the user may see, newest year first, with their totals (a fixed number of queries)."""
    today = today or timezone.localdate()
    activities = PlannedActivity.objects.filter(plan_id=OuterRef("pk")).order_by().values("plan_id")
    return (
        access.plans.visible(user)
        .select_related("academic_year")
        .annotate(
            activity_count=Coalesce(
                Subquery(activities.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
            ),
            planned=Coalesce(
                Subquery(
                    activities.annotate(n=Sum("planned_count")).values("n"), output_field=IntegerField()
                ),
                0,
            ),
            scheduled=_audit_count(),
            done=_audit_count(status__in=DONE),
            late=_audit_count(status__in=OPEN, due_on__lt=today),
        )
        .order_by("-academic_year__start_year")
    )


def plan_get_for_user(user: User, pk: int) -> AuditPlan:
    """The plan if the user may see it (every member of its partnership); Http404 otherwise."""
    plan: AuditPlan = get_for_user_or_404(
        access.plans.visible(user).select_related("academic_year", "approved_by", "created_by"), pk=pk
    )
    return plan


def activity_get_for_user(user: User, pk: int) -> PlannedActivity:
    """The activity if the user may see its plan; Http404 otherwise."""
    queryset = PlannedActivity.objects.filter(plan__in=access.plans.visible(user)).select_related(
        "plan__academic_year", "half_term__term", "term", "lead_agency", "tool", "theme"
    )
    activity: PlannedActivity = get_for_user_or_404(queryset, pk=pk)
    return activity


@dataclass
class Progress:
    """Planned, scheduled, done and late activities, summed over plan rows."""

    planned: int = 0
    scheduled: int = 0
    done: int = 0
    late: int = 0

    def add(self, activity: WithAnnotations[PlannedActivity, ProgressCounts]) -> None:
        """Add one planned activity's annotated counts."""
        self.planned += activity.planned_count
        self.scheduled += activity.scheduled
        self.done += activity.done
        self.late += activity.late


@dataclass
class ProgressGroup:
    """The activities of one half term (or of a whole term, when planned for the term)."""

    label: str
    dates: str
    activities: list[PlannedActivity] = field(default_factory=list)
    totals: Progress = field(default_factory=Progress)


@dataclass
class PlanProgress:
    """The audit plan's progress: per group of activities and in total."""

    groups: list[ProgressGroup]
    totals: Progress


def _dates(starts_on: dt.date, ends_on: dt.date) -> str:
    return f"{starts_on:%-d %B %Y} to {ends_on:%-d %B %Y}"


def plan_progress(plan: AuditPlan, *, today: dt.date | None = None) -> PlanProgress:
    """The plan's activities grouped by half term (every half term of the year, in order, and a group for a
    whole term after its second half term when something is planned for the term), with progress per
    activity, per group and in total. Three queries, however many activities and audits."""
    activities = list(activities_for_plan(plan.pk, today=today))
    half_terms = list(
        HalfTerm.objects.filter(term__academic_year_id=plan.academic_year_id)
        .select_related("term")
        .order_by("number")
    )
    by_half: dict[int, ProgressGroup] = {}
    by_term: dict[int, ProgressGroup] = {}
    groups: list[ProgressGroup] = []
    terms: dict[int, Term] = {}
    for half in half_terms:
        group = ProgressGroup(
            f"Half term {half.number} ({half.term.get_name_display().lower()})",
            _dates(half.starts_on, half.ends_on),
        )
        by_half[half.pk] = group
        groups.append(group)
        terms[half.term_id] = half.term
    for activity in activities:
        if activity.half_term_id in by_half:
            group = by_half[activity.half_term_id]
        else:
            term = activity.term
            if term is None:  # an activity is planned for a half term or for a whole term
                continue
            if term.pk not in by_term:
                by_term[term.pk] = ProgressGroup(
                    f"Across the {term.get_name_display().lower()} term", _dates(term.starts_on, term.ends_on)
                )
            group = by_term[term.pk]
        group.activities.append(activity)
        group.totals.add(activity)
    # A whole-term group goes after the last half term of its term.
    ordered: list[ProgressGroup] = []
    for index, half in enumerate(half_terms):
        ordered.append(groups[index])
        is_last_half = index + 1 == len(half_terms) or half_terms[index + 1].term_id != half.term_id
        if is_last_half and half.term_id in by_term:
            ordered.append(by_term.pop(half.term_id))
    ordered.extend(by_term.values())
    totals = Progress()
    for activity in activities:
        totals.add(activity)
    return PlanProgress(groups=ordered, totals=totals)


def plan_history(plan: AuditPlan) -> QuerySet[LogEntry]:
    """The plan's history, oldest first: created, activities changed, approved, reopened (with reasons)."""
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(AuditPlan), object_id=str(plan.pk)
        )
        .select_related("user")
        .order_by("action_time", "pk")
    )


def auditors_for(activity: PlannedActivity) -> QuerySet[User]:
    """Who may be assigned audits of this activity: active users with a working role in its lead agency."""
    members = Membership.objects.filter(agency_id=activity.lead_agency_id, role__in=WORKING_ROLES)
    return User.objects.filter(
        pk__in=members.values("user_id"), is_active=True, partnership_id=activity.plan.partnership_id
    ).order_by("last_name", "first_name", "username")


def latest_sample(activity: PlannedActivity) -> Sample | None:
    """The activity's most recent sample with its items (swapped-out ones too) and their children."""
    items = SampleItem.objects.select_related("child", "plan", "replaces__child", "swapped_by").order_by(
        "position", "pk"
    )
    return (
        Sample.objects.filter(activity=activity)
        .select_related("half_term__term__academic_year", "created_by")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("-created_at", "-pk")
        .first()
    )


def sample_item_get_for_user(user: User, pk: int) -> SampleItem:
    """A sample item of an activity in the user's partnership; Http404 otherwise (the view checks that the
    user may sample for the activity)."""
    queryset = SampleItem.objects.filter(
        sample__activity__plan__in=access.plans.visible(user)
    ).select_related("sample__activity__plan", "sample__activity__lead_agency", "child", "plan")
    item: SampleItem = get_for_user_or_404(queryset, pk=pk)
    return item


def scheduled_child_ids(activity: PlannedActivity) -> set[int]:
    """Children who already have an audit from this activity."""
    return set(
        Audit.objects.filter(activity=activity, child__isnull=False).values_list("child_id", flat=True)
    )


def _half_term_name(half: HalfTerm) -> str:
    """The name "Spring 1 (half term 3)": the term's name and which of its two halves."""
    return f"{half.term.get_name_display()} {1 if half.number % 2 else 2} (half term {half.number})"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def schedule_warnings(activity: PlannedActivity, *, adding: int, today: dt.date | None = None) -> list[str]:
    """What someone scheduling `adding` more audits from the activity must confirm first, in words with the
    numbers: going beyond the activity's planned number, and scheduling into a half term (or whole term)
    that has ended (its last day is not ended). Empty when there is nothing to confirm. One query.

    audits.services.scheduling.audit_schedule refuses to schedule without confirmation while this holds
    anything; the scheduling page shows it first."""
    today = today or timezone.localdate()
    warnings: list[str] = []
    if adding > 0:
        scheduled = Audit.objects.filter(activity_id=activity.pk).count()
        total = scheduled + adding
        if total > activity.planned_count:
            planned = f"This activity is planned for {_plural(activity.planned_count, 'audit', 'audits')}"
            if scheduled:
                warnings.append(
                    f"{planned}; {_plural(scheduled, 'is', 'are')} scheduled already and you are scheduling "
                    f"{adding} more: {total} in all."
                )
            else:
                warnings.append(f"{planned} and you are scheduling {adding}.")
    if activity.half_term is not None:
        half = activity.half_term
        if half.ends_on < today:
            warnings.append(f"{_half_term_name(half)} ended on {half.ends_on:%-d %B %Y}.")
    elif activity.term is not None and activity.term.ends_on < today:
        term = activity.term
        warnings.append(f"The {term.get_name_display().lower()} term ended on {term.ends_on:%-d %B %Y}.")
    return warnings


def schedule_warnings_token(warnings: list[str]) -> str:
    """A short fingerprint of the warnings shown, sent back with the confirmation so that it confirms
    exactly these ("" when there are none)."""
    if not warnings:
        return ""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16]
