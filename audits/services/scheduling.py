"""Scheduling audits from a planned activity, and telling the assigned auditors.

`audit_schedule` creates one audit per chosen child with the tool's current approved version, owned by the
activity's lead agency, assigns the auditors and queues their emails once the transaction commits. Going
beyond the activity's planned number, or into a half term that has ended, needs the user's confirmation.
`assignment_notify` sends one assignment's email once (the audit history records that it was sent, which is
what makes the Celery task safe to run twice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from audits.models import (
    Audit,
    AuditAssignment,
    AuditEvent,
    AuditStatus,
    AuditToolVersion,
    Level2Form,
    PlannedActivity,
    Sample,
    SampleItem,
    ToolVersionStatus,
)
from audits.models.audits import PlanStage
from audits.selectors import plans as plan_selectors
from ehcp.models import AnnualReview, Child, Plan, PlanKind
from qaf.access import WORKING_ROLES
from qaf.calendar import due_on_errors
from qaf.history.services import event_record
from qaf.models import Membership, User

NOTIFIED = "assignment_notified"


def current_tool_version(activity: PlannedActivity) -> AuditToolVersion | None:
    """The newest approved version of the activity's tool, or None."""
    if activity.tool_id is None:
        return None
    return (
        AuditToolVersion.objects.filter(tool_id=activity.tool_id, status=ToolVersionStatus.APPROVED)
        .order_by("-number")
        .first()
    )


def _check_assignees(activity: PlannedActivity, assignees: Sequence[User]) -> str | None:
    if not assignees:
        return "Choose at least one auditor"
    allowed = set(
        Membership.objects.filter(
            agency_id=activity.lead_agency_id,
            role__in=WORKING_ROLES,
            user__is_active=True,
            user__partnership_id=activity.plan.partnership_id,
        ).values_list("user_id", flat=True)
    )
    outside = [u.display_name for u in assignees if u.pk not in allowed]
    if outside:
        return f"Choose auditors who work in {activity.lead_agency.name}: not {', '.join(outside)}"
    return None


def _latest_plans(children: Sequence[Child], stage: str) -> dict[int, Plan]:
    """Each child's latest plan of the kind the audit looks at (a draft for draft-stage audits)."""
    kind = PlanKind.DRAFT if stage == PlanStage.DRAFT else PlanKind.FINAL
    latest: dict[int, Plan] = {}
    for plan in Plan.objects.filter(child__in=children, kind=kind).order_by("child_id", "-issued_on", "-pk"):
        latest.setdefault(plan.child_id, plan)
    return latest


def _latest_reviews(children: Sequence[Child]) -> dict[int, AnnualReview]:
    latest: dict[int, AnnualReview] = {}
    reviews = AnnualReview.objects.filter(child__in=children, meeting_on__isnull=False)
    for review in reviews.order_by("child_id", "-meeting_on", "-pk"):
        latest.setdefault(review.child_id, review)
    return latest


def _tool_errors(activity: PlannedActivity) -> dict[str, str]:
    """What stops the activity being scheduled at all: no audit level, or no approved version of its tool."""
    errors: dict[str, str] = {}
    if activity.level is None:
        errors["activity"] = "Only an activity with an audit level can be scheduled"
    if current_tool_version(activity) is None:
        errors["tool"] = (
            "The activity's audit tool has no approved version yet"
            if activity.tool_id
            else "Choose an audit tool for this activity in the plan first"
        )
    return errors


def _children_error(activity: PlannedActivity, children: Sequence[Child]) -> str | None:
    """What is wrong with the chosen cases: none, another partnership's, one twice, or one already scheduled
    on this activity."""
    if not children:
        return "Choose at least one case"
    if any(c.partnership_id != activity.plan.partnership_id for c in children):
        return "Choose cases of your partnership"
    if len({c.pk for c in children}) != len(children):
        return "Choose each case once"
    taken = Audit.objects.filter(activity=activity, child__in=children).select_related("child")
    refs = sorted({a.child.case_reference for a in taken if a.child is not None})
    if refs:
        return f"Already scheduled on this activity: {', '.join(refs)}. Choose other cases"
    return None


def _level2_errors(activity: PlannedActivity, level2_form: str, plan_stage: str) -> dict[str, str]:
    """A Level 2 audit needs its form and plan stage; no other level takes them."""
    errors: dict[str, str] = {}
    if activity.level != 2:
        if level2_form or plan_stage:
            errors["level2_form"] = "Only Level 2 audits have a Level 2 form and plan stage"
        return errors
    if level2_form not in Level2Form.values:
        errors["level2_form"] = "Choose which Level 2 audit this is"
    if plan_stage not in PlanStage.values:
        errors["plan_stage"] = "Choose whether a draft plan, final plan or annual review is audited"
    return errors


def _validate(
    *,
    activity: PlannedActivity,
    children: Sequence[Child],
    assignees: Sequence[User],
    due_on: dt.date | None,
    level2_form: str,
    plan_stage: str,
    sample: Sample | None,
) -> None:
    """Raise ValidationError, by field, unless the audits may be scheduled as asked."""
    errors = _tool_errors(activity)
    problems = {
        "children": _children_error(activity, children),
        "assignees": _check_assignees(activity, assignees),
    }
    errors.update((field, problem) for field, problem in problems.items() if problem)
    errors.update(due_on_errors(due_on))
    errors.update(_level2_errors(activity, level2_form, plan_stage))
    if sample is not None and sample.activity_id != activity.pk:
        errors["sample"] = "Choose a sample drawn for this activity"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def audit_schedule(
    *,
    activity: PlannedActivity,
    children: Sequence[Child],
    assignees: Sequence[User],
    due_on: dt.date | None,
    by: User,
    level2_form: str = "",
    plan_stage: str = "",
    sample: Sample | None = None,
    confirmed: bool = False,
) -> list[Audit]:
    """Create one audit per child from a planned activity and assign the auditors.

    Callers check audits.access.audits.can(user, "schedule_from") and that the children are visible to the user. Each audit
    uses the current approved version of the activity's tool, is owned by the activity's lead agency, carries
    the activity's theme, records a "scheduled" event and points at its sample item when the child was drawn
    in `sample`. The assignees' emails are queued (audits.tasks.audit_assignment_notify) after commit.

    Raises ValidationError (fields children, assignees, due_on, tool, level2_form, plan_stage, activity) when
    the activity has no level or approved tool version, a child is already scheduled on this activity, an
    assignee does not work in the lead agency, or the due date has passed. When the input is good but there
    is something to confirm (audits.selectors.plans.schedule_warnings: more audits than planned, or a half
    term that has ended), it raises ValidationError on `confirm` with the warnings unless `confirmed`, and
    schedules nothing; once confirmed, the warnings are kept in each audit's "scheduled" event."""
    # Lock the activity so two people scheduling the same child at once cannot both succeed.
    activity = (
        PlannedActivity.objects.select_for_update(of=("self",))
        .select_related("plan", "lead_agency", "theme", "half_term__term", "term")
        .get(pk=activity.pk)
    )
    children = list(children)
    assignees = list({u.pk: u for u in assignees}.values())
    _validate(
        activity=activity,
        children=children,
        assignees=assignees,
        due_on=due_on,
        level2_form=level2_form,
        plan_stage=plan_stage,
        sample=sample,
    )
    warnings = plan_selectors.schedule_warnings(activity, adding=len(children))
    if warnings and not confirmed:
        raise ValidationError({"confirm": warnings})
    if due_on is None:
        raise ValueError("_validate refuses a missing due date")
    return _audits_create(
        activity=activity,
        children=children,
        assignees=assignees,
        due_on=due_on,
        by=by,
        level2_form=level2_form,
        plan_stage=plan_stage,
        sample=sample,
        warnings=warnings,
    )


def _audits_create(
    *,
    activity: PlannedActivity,
    children: list[Child],
    assignees: list[User],
    due_on: dt.date,
    by: User,
    level2_form: str,
    plan_stage: str,
    sample: Sample | None,
    warnings: list[str],
) -> list[Audit]:
    """The audits `audit_schedule` creates once the input is checked, their emails queued on commit."""
    version = current_tool_version(activity)
    level = activity.level
    if version is None or level is None:
        raise ValueError("_validate refuses an activity without a level or an approved tool version")
    items: dict[int, SampleItem] = {}
    if sample is not None:
        for item in sample.items.filter(swapped_out=False, child__in=children):
            items[item.child_id] = item
    plans = _latest_plans(children, plan_stage)
    reviews = _latest_reviews(children) if plan_stage == PlanStage.REVIEW or activity.level == 3 else {}
    audits: list[Audit] = []
    assignment_ids: list[int] = []
    for child in children:
        sample_item = items.get(child.pk)
        audit = Audit.objects.create(
            partnership_id=activity.plan.partnership_id,
            level=level,
            kind=activity.kind,
            title=activity.title,
            tool_version=version,
            activity=activity,
            sample_item=sample_item,
            agency=activity.lead_agency,
            child=child,
            plan=(sample_item.plan if sample_item and sample_item.plan_id else plans.get(child.pk)),
            review=reviews.get(child.pk),
            level2_form=level2_form,
            plan_stage=plan_stage,
            status=AuditStatus.SCHEDULED,
            due_on=due_on,
            scheduled_by=by,
        )
        assignment_ids.extend(
            _audit_assign(audit, activity=activity, assignees=assignees, by=by, warnings=warnings)
        )
        audits.append(audit)
    _queue_notifications(assignment_ids)
    return audits


def _audit_assign(
    audit: Audit, *, activity: PlannedActivity, assignees: list[User], by: User, warnings: list[str]
) -> list[int]:
    """Give a new audit the activity's theme and its auditors, and record it "scheduled". Returns the ids of
    the assignments made."""
    if activity.theme is not None:
        audit.themes.add(activity.theme)
    created = AuditAssignment.objects.bulk_create(
        AuditAssignment(audit=audit, user=user, assigned_by=by) for user in assignees
    )
    event_record(
        subject=audit,
        user=by,
        kind="scheduled",
        activity=activity.pk,
        tool_version=audit.tool_version_id,
        due_on=audit.due_on.isoformat(),
        assignees=[u.pk for u in assignees],
        sample_item=audit.sample_item_id,
        **({"confirmed_warnings": warnings} if warnings else {}),
    )
    return [a.pk for a in created]


def _queue_notifications(assignment_ids: list[int]) -> None:
    from audits import tasks  # the tasks load this module; queued on commit, so loading needs neither

    transaction.on_commit(lambda: tasks.audit_assignment_notify.delay(assignment_ids))


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def assignment_notify(*, assignment: AuditAssignment) -> bool:
    """Email the assigned auditor about their audit, once. Returns whether an email was sent now.

    Nothing is sent to users without an email address or for an audit that is no longer open, nor again
    for an assignment already notified: the "assignment_notified" event on the audit is the record, written
    in the same transaction, with the assignment row locked so two deliveries of the task cannot both send.
    The email names the audit's level, agency, tool and due date, never the child."""
    assignment = (
        AuditAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "audit__agency", "audit__tool_version__tool", "audit__activity")
        .get(pk=assignment.pk)
    )
    audit = assignment.audit
    already = AuditEvent.objects.filter(
        audit=audit, kind=NOTIFIED, details__assignment=assignment.pk
    ).exists()
    if already or not assignment.user.email or not audit.is_open:
        return False
    context = {
        "assignment": assignment,
        "audit": audit,
        "user": assignment.user,
        "audit_url": _absolute(reverse("audits:audit-detail", args=[audit.pk])),
        "my_audits_url": _absolute(reverse("audits:my-audits")),
    }
    subject = f"Audit to complete by {audit.due_on:%-d %B %Y}: Level {audit.level}, {audit.agency.name}"
    send_mail(
        subject=subject,
        message=render_to_string("audits/email/assignment.txt", context),
        from_email=None,
        recipient_list=[assignment.user.email],
    )
    event_record(subject=audit, user=None, kind=NOTIFIED, assignment=assignment.pk)
    return True
