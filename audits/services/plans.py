"""Writes of the annual audit plan: create a plan for an academic year, add, change and remove its planned
activities, approve it (which locks it) and reopen it for changes.

Access is the caller's to check (audits.access.plans.can(user, "manage"): the SQA officer); these functions enforce the
plan's own rules. The plan's history (created, approved, reopened with the reason, activities changed) is kept
in Django's admin log, so it also shows on the plan's admin history page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audits.models import ActivityKind, AuditPlan, AuditPlanStatus, AuditTool, PlannedActivity
from qaf.models import AcademicYear, Agency, HalfTerm, Partnership, Term, Theme, User

LOCKED = "This plan is approved. Reopen it for changes first."
LEVELS = (1, 2, 3, 4)


def _record(*, plan: AuditPlan, user: User, flag: int, message: str) -> None:
    """Keep one line of the plan's history (who, when, what and why)."""
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[plan], action_flag=flag, change_message=message, single_object=True
    )


def _require_draft(plan: AuditPlan) -> None:
    if plan.status != AuditPlanStatus.DRAFT:
        raise ValidationError(LOCKED)


@transaction.atomic
def audit_plan_create(
    *, partnership: Partnership, academic_year: AcademicYear, by: User, title: str = ""
) -> AuditPlan:
    """Start the draft audit plan of one academic year (one plan per year per partnership).

    Raises ValidationError on `academic_year` when the year belongs to another partnership or already has a
    plan."""
    if academic_year.partnership_id != partnership.pk:
        raise ValidationError({"academic_year": "Choose an academic year of your partnership."})
    if AuditPlan.objects.filter(partnership=partnership, academic_year=academic_year).exists():
        raise ValidationError({"academic_year": f"There is already an audit plan for {academic_year}."})
    plan = AuditPlan.objects.create(
        partnership=partnership,
        academic_year=academic_year,
        title=title.strip() or f"Annual audit plan {academic_year}",
        created_by=by,
    )
    _record(plan=plan, user=by, flag=ADDITION, message="Plan created")
    return plan


ACTIVITY_FIELDS = (
    "level",
    "kind",
    "title",
    "theme",
    "term",
    "half_term",
    "lead_agency",
    "tool",
    "planned_count",
    "notes",
)


def _what_errors(level: int | None, kind: str) -> dict[str, str]:
    """What is wrong with the activity's level and kind."""
    errors: dict[str, str] = {}
    if level is not None and level not in LEVELS:
        errors["level"] = "Choose a level from 1 to 4, or no level"
    if kind not in ActivityKind.values:
        errors["kind"] = "Choose what kind of activity this is"
    return errors


def _when_errors(plan: AuditPlan, term: Term | None, half_term: HalfTerm | None) -> dict[str, str]:
    """What is wrong with when the activity is planned: a term or half term of the plan's year, the half term
    in the term when both are given."""
    errors: dict[str, str] = {}
    year = plan.academic_year
    if half_term is not None and half_term.term.academic_year_id != plan.academic_year_id:
        errors["half_term"] = f"Choose a half term of {year}, the plan's academic year"
    if term is not None and term.academic_year_id != plan.academic_year_id:
        errors["term"] = f"Choose a term of {year}, the plan's academic year"
    elif term is not None and half_term is not None and half_term.term_id != term.pk:
        errors["half_term"] = "Choose a half term of the chosen term, or leave the term empty"
    if term is None and half_term is None:
        errors["half_term"] = "Choose the term or half term the activity is planned for"
    return errors


def _partnership_errors(plan: AuditPlan, values: dict[str, Any]) -> dict[str, str]:
    """What is wrong with the lead agency, tool and theme: each of the plan's partnership (the agency active),
    the tool serving the activity's level."""
    errors: dict[str, str] = {}
    lead_agency, tool, level, theme = values["lead_agency"], values["tool"], values["level"], values["theme"]
    if lead_agency.partnership_id != plan.partnership_id or not lead_agency.is_active:
        errors["lead_agency"] = "Choose an active agency of your partnership"
    if tool is not None and tool.partnership_id != plan.partnership_id:
        errors["tool"] = "Choose an audit tool of your partnership"
    elif tool is not None and level is not None and level not in (tool.levels or []):
        errors["tool"] = f"{tool.name} does not serve level {level} audits; choose a tool that does"
    if theme is not None and theme.partnership_id != plan.partnership_id:
        errors["theme"] = "Choose a theme of your partnership"
    return errors


def _clean_activity(plan: AuditPlan, values: dict[str, Any]) -> dict[str, Any]:
    """Check one activity's ACTIVITY_FIELDS (`values`) against the plan's rules (ValidationError by field);
    return them as stored: the title stripped, the term taken from the half term if given."""
    errors = {
        **_what_errors(values["level"], values["kind"]),
        **_when_errors(plan, values["term"], values["half_term"]),
        **_partnership_errors(plan, values),
    }
    if values["planned_count"] < 1:
        errors["planned_count"] = "Enter how many, 1 or more"
    if errors:
        raise ValidationError(errors)
    half_term = values["half_term"]
    return {
        **values,
        "title": (values["title"] or "").strip(),
        "term": half_term.term if half_term is not None else values["term"],
    }


@transaction.atomic
def planned_activity_add(
    *,
    plan: AuditPlan,
    by: User,
    kind: str,
    lead_agency: Agency,
    level: int | None = None,
    title: str = "",
    theme: Theme | None = None,
    term: Term | None = None,
    half_term: HalfTerm | None = None,
    tool: AuditTool | None = None,
    planned_count: int = 1,
    notes: str = "",
) -> PlannedActivity:
    """Add an activity to a draft plan.

    Raises ValidationError when the plan is approved, a half term or term is of another academic year, the
    tool does not serve the level or belongs to another partnership, or the count is below 1."""
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    values = {
        "level": level,
        "kind": kind,
        "title": title,
        "theme": theme,
        "term": term,
        "half_term": half_term,
        "lead_agency": lead_agency,
        "tool": tool,
        "planned_count": planned_count,
        "notes": notes,
    }
    activity = PlannedActivity.objects.create(plan=plan, **_clean_activity(plan, values))
    _record(plan=plan, user=by, flag=CHANGE, message=f"Activity added: {activity}")
    return activity


@transaction.atomic
def planned_activity_update(*, activity: PlannedActivity, by: User, **changes: Any) -> PlannedActivity:
    """Change an activity of a draft plan; `changes` are any of ACTIVITY_FIELDS (others are refused).

    Raises ValidationError as planned_activity_add does, and when the level changes after audits were
    scheduled from the activity."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"Unknown activity fields: {', '.join(sorted(unknown))}")
    plan = AuditPlan.objects.select_for_update().get(pk=activity.plan_id)
    _require_draft(plan)
    values = {name: changes.get(name, getattr(activity, name)) for name in ACTIVITY_FIELDS}
    if values["level"] != activity.level and activity.audits.exists():
        raise ValidationError({"level": "Audits have been scheduled from this activity; keep its level"})
    for name, value in _clean_activity(plan, values).items():
        setattr(activity, name, value)
    activity.save()
    _record(plan=plan, user=by, flag=CHANGE, message=f"Activity changed: {activity}")
    return activity


@transaction.atomic
def planned_activity_remove(*, activity: PlannedActivity, by: User) -> None:
    """Remove an activity from a draft plan. Raises ValidationError when the plan is approved or audits have
    been scheduled from the activity (they would lose their place in the plan)."""
    plan = AuditPlan.objects.select_for_update().get(pk=activity.plan_id)
    _require_draft(plan)
    scheduled = activity.audits.count()
    if scheduled:
        raise ValidationError(
            f"{scheduled} audit{'s have' if scheduled != 1 else ' has'} been scheduled from this activity; "
            "it cannot be removed"
        )
    label = str(activity)
    activity.delete()
    _record(plan=plan, user=by, flag=DELETION, message=f"Activity removed: {label}")


@transaction.atomic
def audit_plan_approve(*, plan: AuditPlan, by: User) -> AuditPlan:
    """Approve a draft plan, which locks its activities. Raises ValidationError when it is already approved
    or has no activities."""
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == AuditPlanStatus.APPROVED:
        raise ValidationError("This plan is already approved.")
    if not plan.activities.exists():
        raise ValidationError("Add at least one activity before approving the plan.")
    plan.status = AuditPlanStatus.APPROVED
    plan.approved_by = by
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    _record(plan=plan, user=by, flag=CHANGE, message="Plan approved")
    return plan


@transaction.atomic
def audit_plan_reopen(*, plan: AuditPlan, by: User, reason: str) -> AuditPlan:
    """Set an approved plan back to draft so its activities can change; the reason is kept in the history.
    Audits already scheduled are untouched. Raises ValidationError without a reason or on a draft plan."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the plan is being reopened"})
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != AuditPlanStatus.APPROVED:
        raise ValidationError("Only an approved plan can be reopened.")
    plan.status = AuditPlanStatus.DRAFT
    plan.approved_by = None
    plan.approved_at = None
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    _record(plan=plan, user=by, flag=CHANGE, message=f"Plan reopened for changes: {reason}")
    return plan
