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
    Audit,
    AuditAssignment,
    AuditPlan,
    AuditStatus,
    AuditTool,
    AuditUserObjectPermission,
    PlannedActivity,
    SafeguardingConcern,
)
from qaf.access import get_for_user_or_404, is_sqa_of, user_access
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


def visible_concerns(user: User) -> QuerySet[SafeguardingConcern]:
    """The safeguarding concerns raised on audits the user may see."""
    return SafeguardingConcern.objects.filter(audit__in=visible(user)).select_related("audit")


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

    return ehcp_access.children.can(user, "list")


def can_read_tools(user: User) -> bool:
    """May the user open the audit tool pages? Exactly when `visible_tools` can hold rows for them (working
    members of a partnership; board members see aggregates only)."""
    access = user_access(user)
    return access.partnership_id is not None and not access.is_board_only


# --- safeguarding concerns and actions raised from audits --------------------------------------------


def can_raise_concern(user: User, audit: Audit) -> bool:
    """A safeguarding concern is raised by whoever may edit the audit now, or an SQA officer of its
    partnership, at any audit status."""
    return can_edit(user, audit) or is_sqa_of(user, audit.partnership_id)


def can_raise_action(user: User, audit: Audit) -> bool:
    """A remedial action is raised from an audit by whoever may edit it now (the auditor, while doing it) or an
    SQA officer of its partnership (registered with actions.sources as the audit's own rule)."""
    return can_edit(user, audit) or is_sqa_of(user, audit.partnership_id)
