"""Who may see and do what with audit tools, audit plans and audits.

Seeing an audit:
- SQA officers: every audit of their partnership.
- Level 1: managers of the owning agency (agency manager, head of service, team manager) see all its Level 1
  audits; practitioners see those assigned to them.
- Level 2: working staff of a statutory assessment team.
- Level 3: the panel members, through an explicit grant on the audit (given and taken away with membership).
- Level 4: the lead board member, through an explicit grant on the audit.
- Whoever is assigned to an audit sees it. Board members otherwise see aggregates only.
Invisible → 404 (`audit_get_for_user`); visible but not allowed → 403 (views check the `can_*` functions).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from audits.models import (
    ActionStatus,
    Audit,
    AuditAssignment,
    AuditPlan,
    AuditStatus,
    AuditTool,
    AuditUserObjectPermission,
    Escalation,
    EscalationStatus,
    PlannedActivity,
    RemedialAction,
)
from qaf.access import get_for_user_or_404, user_access
from qaf.models import Role, User

MANAGER_ROLES = (Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER)


def _granted_audit_ids(user: User) -> QuerySet:
    return AuditUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename="view_audit"
    ).values("content_object_id")


def visible(user: User) -> QuerySet[Audit]:
    """The audits the user may see (one row each, no DISTINCT needed)."""
    access = user_access(user)
    if access.partnership_id is None:
        return Audit.objects.none()
    audits = Audit.objects.filter(partnership_id=access.partnership_id)
    if access.is_sqa:
        return audits
    rule = Q(pk__in=_granted_audit_ids(user)) | Q(
        pk__in=AuditAssignment.objects.filter(user_id=user.pk).values("audit_id")
    )
    managed = access.agencies_for(*MANAGER_ROLES)
    if managed:
        rule |= Q(level=1, agency_id__in=managed)
    if access.is_sat:
        rule |= Q(level=2)
    return audits.filter(rule)


def audit_get_for_user(user: User, pk: int) -> Audit:
    """The audit if the user may see it; Http404 otherwise (the same for absent and hidden)."""
    return get_for_user_or_404(visible(user), pk=pk)


def is_assignee(user: User, audit: Audit) -> bool:
    return audit.assignments.filter(user_id=user.pk).exists()


def is_panel_member(user: User, audit: Audit) -> bool:
    return audit.level == 3 and audit.panel_members.filter(user_id=user.pk).exists()


def is_lead_board_member(user: User, audit: Audit) -> bool:
    return (
        audit.level == 4
        and hasattr(audit, "case_review")
        and audit.case_review.lead_board_member_id == user.pk
    )


def can_edit(user: User, audit: Audit) -> bool:
    """May the user record answers, notes, grades and actions on this audit now? Only while it is open, and
    only its assignees (at Level 3 the panel members too; at Level 4 the lead board member too)."""
    if audit.status not in (AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS):
        return False
    return is_assignee(user, audit) or is_panel_member(user, audit) or is_lead_board_member(user, audit)


def can_submit(user: User, audit: Audit) -> bool:
    return can_edit(user, audit)


def can_moderate(user: User, audit: Audit) -> bool:
    """SQA officers moderate submitted audits they did not complete themselves."""
    return (
        user_access(user).is_sqa
        and audit.partnership_id == user.partnership_id
        and audit.status == AuditStatus.SUBMITTED
        and not is_assignee(user, audit)
    )


def moderatable(user: User) -> QuerySet[Audit]:
    """The audits `can_moderate` lets the user moderate, as a queryset (the two agree for every audit)."""
    if not user_access(user).is_sqa:
        return Audit.objects.none()
    return Audit.objects.filter(partnership_id=user.partnership_id, status=AuditStatus.SUBMITTED).exclude(
        pk__in=AuditAssignment.objects.filter(user_id=user.pk).values("audit_id")
    )


def can_see_moderation_queue(user: User) -> bool:
    """The queue of audits awaiting moderation is for those who moderate: the SQA officers. (It lists
    audits case by case, so not for board members, who see the agreement figures only.)"""
    return user_access(user).is_sqa


def can_reopen(user: User, audit: Audit) -> bool:
    return (
        user_access(user).is_sqa
        and audit.partnership_id == user.partnership_id
        and audit.status in (AuditStatus.SUBMITTED, AuditStatus.MODERATED, AuditStatus.CLOSED)
    )


def can_close(user: User, audit: Audit) -> bool:
    return (
        user_access(user).is_sqa
        and audit.partnership_id == user.partnership_id
        and audit.status in (AuditStatus.SUBMITTED, AuditStatus.MODERATED)
    )


def can_link_reaudit(user: User, audit: Audit) -> bool:
    """SQA officers of the audit's partnership mark an audit as a re-audit of an earlier one."""
    return is_sqa_of(user, audit.partnership_id)


def can_see_agreement(user: User) -> bool:
    """The moderation agreement page is for SQA officers, and for board members as aggregates."""
    access = user_access(user)
    return access.is_sqa or access.has_role(Role.BOARD_MEMBER)


def can_set_up_case_review(user: User, audit: Audit) -> bool:
    """An SQA officer of the partnership names the lead board member of an open Level 4 audit."""
    return (
        user_access(user).is_sqa
        and audit.partnership_id == user.partnership_id
        and audit.level == 4
        and audit.is_open
    )


def can_manage_panel(user: User, audit: Audit) -> bool:
    return is_sqa_of(user, audit.partnership_id) and audit.level == 3


def can_schedule(user: User, *, level: int, agency_id: int) -> bool:
    """May the user create audits at this level for this agency? SQA officers at any level; agency managers
    (and heads of service) at Level 1 for their own agency; SAT managers at Level 2."""
    access = user_access(user)
    if access.is_sqa:
        return True
    managers = access.agencies_for(Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)
    if level == 1:
        return agency_id in managers
    if level == 2:
        return bool(managers & access.agency_ids_of_kind_working) and agency_id in managers
    return False


# --- tools and plans ------------------------------------------------------------------------------


def visible_tools(user: User) -> QuerySet[AuditTool]:
    """Every working member of the partnership may read its audit tools (they are the shared standard)."""
    access = user_access(user)
    if access.partnership_id is None or access.is_board_only:
        return AuditTool.objects.none()
    return AuditTool.objects.filter(partnership_id=access.partnership_id)


def can_manage_tools(user: User) -> bool:
    """Building, approving and versioning audit tools is the SQA officer's."""
    return user_access(user).is_sqa


def visible_plans(user: User) -> QuerySet[AuditPlan]:
    """The annual audit plan is open to every member of the partnership, board members included."""
    access = user_access(user)
    if access.partnership_id is None:
        return AuditPlan.objects.none()
    return AuditPlan.objects.filter(partnership_id=access.partnership_id)


def can_manage_plans(user: User) -> bool:
    return user_access(user).is_sqa


def can_schedule_from(user: User, activity: PlannedActivity) -> bool:
    return activity.level is not None and can_schedule(
        user, level=activity.level, agency_id=activity.lead_agency_id
    )


def can_see_scheduling(user: User) -> bool:
    """The scheduling and sample pages show children, so they are for people with a working role only
    (board members and partnership admins never see child-level pages: a 404, not a 403)."""
    from ehcp import access as ehcp_access

    return ehcp_access.can_list(user)


def can_read_tools(user: User) -> bool:
    """May the user open the audit tool pages? Exactly when `visible_tools` can hold rows for them (working
    members of a partnership; board members see aggregates only)."""
    access = user_access(user)
    return access.partnership_id is not None and not access.is_board_only


def is_sqa_of(user: User, partnership_id: int) -> bool:
    """Is the user an SQA officer of this partnership?"""
    access = user_access(user)
    return access.is_sqa and access.partnership_id == partnership_id


# --- remedial actions and escalations ---------------------------------------------------------------
# Workers see the actions they carry out (and whoever raised one sees it); team managers their team's;
# agency managers and heads of service their agency's; SQA officers all of the partnership; board members counts only (no rows).


def visible_actions(user: User) -> QuerySet[RemedialAction]:
    """The remedial actions the user may see (one row each)."""
    access = user_access(user)
    if access.partnership_id is None:
        return RemedialAction.objects.none()
    actions = RemedialAction.objects.filter(partnership_id=access.partnership_id)
    if access.is_sqa:
        return actions
    rule = Q(worker_id=user.pk) | Q(team_manager_id=user.pk) | Q(raised_by_id=user.pk)
    if access.has_role(Role.TEAM_MANAGER) and access.team_ids:
        rule |= Q(team_id__in=access.team_ids)
    managed = access.agencies_for(Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)
    if managed:
        rule |= Q(agency_id__in=managed)
    return actions.filter(rule)


def action_get_for_user(user: User, pk: int) -> RemedialAction:
    return get_for_user_or_404(visible_actions(user), pk=pk)


def can_raise_action(user: User, audit: Audit | None = None) -> bool:
    """From an audit: whoever may edit it now (the auditor, while doing it) or an SQA officer. From another
    QA activity (no audit): SQA officers and agency managers."""
    access = user_access(user)
    if audit is not None:
        return can_edit(user, audit) or (access.is_sqa and audit.partnership_id == user.partnership_id)
    return access.is_sqa or bool(access.agencies_for(Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE))


def can_raise_action_in(user: User, agency_id: int) -> bool:
    """From another QA activity (no audit), an SQA officer raises an action in any agency of the partnership;
    an agency manager or head of service only in the agencies they manage. (Partnership and active agency are
    the service's checks.)"""
    access = user_access(user)
    return access.is_sqa or agency_id in access.agencies_for(Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)


def agencies_to_raise_actions_in(user: User) -> QuerySet:
    """The active agencies of the user's partnership in which can_raise_action_in allows them to raise an
    action (the choices of the "raise an action" page)."""
    from qaf.models import Agency

    access = user_access(user)
    agencies = Agency.objects.filter(partnership_id=access.partnership_id, is_active=True)
    if access.is_sqa:
        return agencies
    return agencies.filter(pk__in=access.agencies_for(Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE))


def can_work_on_action(user: User, action: RemedialAction) -> bool:
    """The worker starts and completes their action (while it is open)."""
    return action.is_open and action.worker_id == user.pk


def can_start_action(user: User, action: RemedialAction) -> bool:
    """The worker starts their action while it is open and not yet started."""
    return can_work_on_action(user, action) and action.status == ActionStatus.OPEN


def can_see_action_rows(user: User) -> bool:
    """Board members see counts of actions and escalations, never the rows (tracker, CSV, API)."""
    return not user_access(user).is_board_only


def can_see_theme_counts(user: User) -> bool:
    """The themes and workforce-development aggregates are for SQA officers and board members of a
    partnership."""
    access = user_access(user)
    return access.partnership_id is not None and (access.is_sqa or access.has_role(Role.BOARD_MEMBER))


def actions_for_aggregates(user: User) -> QuerySet[RemedialAction]:
    """The actions counted in aggregate reports (themes, the board summary): the whole partnership's for those
    who may see theme counts (`can_see_theme_counts`), none otherwise. For counting only: never list them."""
    if not can_see_theme_counts(user):
        return RemedialAction.objects.none()
    return RemedialAction.objects.filter(partnership_id=user_access(user).partnership_id)


def can_verify_action(user: User, action: RemedialAction) -> bool:
    """A completed action is verified by its team manager, or an SQA officer; never by the worker alone."""
    access = user_access(user)
    if action.status != ActionStatus.COMPLETED or action.partnership_id != user.partnership_id:
        return False
    if action.worker_id == user.pk and not access.is_sqa:
        return False
    return (
        access.is_sqa
        or action.team_manager_id == user.pk
        or (access.has_role(Role.TEAM_MANAGER) and action.team_id in access.team_ids)
    )


def can_cancel_action(user: User, action: RemedialAction) -> bool:
    """An open action is cancelled (with a reason) by its team manager, a manager of its agency, or SQA."""
    access = user_access(user)
    if not action.is_open or action.partnership_id != user.partnership_id:
        return False
    return (
        access.is_sqa
        or action.team_manager_id == user.pk
        or action.agency_id in access.agencies_for(Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)
    )


def can_raise_concern(user: User, audit: Audit) -> bool:
    """A safeguarding concern is raised by whoever may edit the audit now, or an SQA officer of its
    partnership, at any audit status."""
    return can_edit(user, audit) or is_sqa_of(user, audit.partnership_id)


def visible_escalations(user: User) -> QuerySet[Escalation]:
    """SQA officers see all; heads of service and agency managers their agency's; the person who raised one
    sees it."""
    access = user_access(user)
    if access.partnership_id is None:
        return Escalation.objects.none()
    escalations = Escalation.objects.filter(partnership_id=access.partnership_id)
    if access.is_sqa:
        return escalations
    rule = Q(raised_by_id=user.pk) | Q(head_of_service_id=user.pk)
    managed = access.agencies_for(Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)
    if managed:
        rule |= Q(agency_id__in=managed)
    return escalations.filter(rule)


def can_see_escalation_list(user: User) -> bool:
    """Is the escalations list one of the user's pages (in their navigation)? SQA officers, heads of service
    and agency managers. Anyone else reaches it only for the escalations they raised or were sent."""
    access = user_access(user)
    return access.is_sqa or access.has_role(Role.HEAD_OF_SERVICE, Role.AGENCY_MANAGER)


def escalation_get_for_user(user: User, pk: int) -> Escalation:
    return get_for_user_or_404(visible_escalations(user), pk=pk)


def can_acknowledge(user: User, escalation: Escalation) -> bool:
    """The head of service of the responsible agency acknowledges an open escalation."""
    return escalation.status == EscalationStatus.OPEN and (
        escalation.head_of_service_id == user.pk
        or escalation.agency_id in user_access(user).agencies_for(Role.HEAD_OF_SERVICE)
    )


def can_resolve(user: User, escalation: Escalation) -> bool:
    """The head of service, or an SQA officer, records how an escalation was resolved."""
    if escalation.status == EscalationStatus.RESOLVED or escalation.partnership_id != user.partnership_id:
        return False
    return user_access(user).is_sqa or (
        escalation.status == EscalationStatus.ACKNOWLEDGED and can_acknowledge_role(user, escalation)
    )


def can_acknowledge_role(user: User, escalation: Escalation) -> bool:
    return escalation.head_of_service_id == user.pk or escalation.agency_id in user_access(user).agencies_for(
        Role.HEAD_OF_SERVICE
    )


# Records other apps keep that an action may be raised from, by source (named, so audits imports no app).
LINKED_SOURCES = {"complaint": "feedback.Complaint"}


def action_source_get_for_user(user: User, source: str, source_id: str):
    """The record an action is to be raised from (?source=complaint&source_id=<pk>): one of the user's
    partnership, in an agency they may raise actions in. None when no record is named; Http404 when it is
    absent, elsewhere or out of the user's reach (the same for each)."""
    from django.apps import apps
    from django.http import Http404

    if source not in LINKED_SOURCES or not source_id:
        return None
    partnership_id = user_access(user).partnership_id
    model = apps.get_model(LINKED_SOURCES[source])
    linked = (
        model.objects.filter(pk=int(source_id), partnership_id=partnership_id).first()
        if source_id.isdigit() and partnership_id is not None
        else None
    )
    if linked is None or not can_raise_action_in(user, linked.agency_id):
        raise Http404("Not found")
    return linked
