"""Who may see and do what with audits, safeguarding concerns, audit tools and audit plans.

Seeing an audit:
- SQA officers: every audit of their partnership.
- Level 1: managers of the owning agency (agency manager, head of service, team manager) see all its Level 1
  audits; practitioners see those assigned to them.
- Level 2: working staff of a statutory assessment team.
- Level 3: the panel members, through an explicit grant on the audit (given and taken away with membership).
- Level 4: the lead board member, through an explicit grant on the audit.
- Whoever is assigned to an audit sees it. Board members otherwise see aggregates only: their figures count
  every audit of the partnership (`audits.aggregate_scope`).
Doing an audit: its assignees edit and submit it while it is open (at Level 3 the panel members too, at Level 4
the lead board member too). SQA officers of the partnership moderate submitted audits they did not do, reopen,
close, link re-audits, run Level 3 panels and set up Level 4 case reviews. Scheduling: SQA officers at any
level; agency managers and heads of service at Level 1 for their own agency; SAT managers at Level 2.
Safeguarding concerns are seen with their audit. Audit tools are read by every working member of the
partnership and kept by SQA officers; the annual audit plan is open to every member, board members included,
and kept by SQA officers.
Invisible → 404 (`audits.get_for_user`); visible but not allowed → 403 (views ask `audits.can(user, action,
audit)`).

Policies: `audits`, `concerns`, `tools`, `plans`.
"""

from __future__ import annotations

from typing import Any, ClassVar

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
from ehcp.access import children
from qaf.access import WORKING_ROLES, UserAccess, is_sqa_of, user_access
from qaf.models import Role
from qaf.policies import AnyUser, Policy

MANAGER_ROLES = (Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER)


def _granted_audit_ids(user: AnyUser) -> QuerySet[AuditUserObjectPermission, int]:
    if user.pk is None:
        return AuditUserObjectPermission.objects.none().values_list("content_object_id", flat=True)
    return AuditUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename="view_audit"
    ).values_list("content_object_id", flat=True)


def _assigned_audit_ids(user: AnyUser) -> QuerySet[AuditAssignment, int]:
    if user.pk is None:
        return AuditAssignment.objects.none().values_list("audit_id", flat=True)
    return AuditAssignment.objects.filter(user_id=user.pk).values_list("audit_id", flat=True)


def _is_sqa(user: AnyUser) -> bool:
    return user_access(user).is_sqa


class AuditPolicy(Policy[Audit]):
    """Audits: seen by level, agency, assignment and grant; done by their assignees; overseen by SQA officers."""

    model = Audit
    actions: ClassVar[frozenset[str]] = frozenset(
        {
            "view",
            "list",
            "edit",
            "submit",
            "moderate",
            "reopen",
            "close",
            "oversee",
            "link_reaudit",
            "set_up_case_review",
            "manage_panel",
            "schedule",
            "schedule_from",
            "raise_concern",
            "raise_action",
            "see_agreement",
            "see_moderation_queue",
            "see_scheduling",
        }
    )

    def visible(self, user: AnyUser) -> QuerySet[Audit]:
        """The audits the user may see (one row each, no DISTINCT needed)."""
        return self.partnership_rows_by_rule(user, self._seen_rule)

    @staticmethod
    def _seen_rule(user: AnyUser, access: UserAccess) -> Q:
        """The audits someone other than an SQA officer sees: those granted or assigned to them, their managed
        agencies' Level 1 audits, and every Level 2 audit for the statutory assessment team."""
        rule = Q(pk__in=_granted_audit_ids(user)) | Q(pk__in=_assigned_audit_ids(user))
        managed = access.agencies_for(*MANAGER_ROLES)
        if managed:
            rule |= Q(level=1, agency_id__in=managed)
        if access.is_sat:
            rule |= Q(level=2)
        return rule

    def aggregate_scope(self, user: AnyUser) -> QuerySet[Audit]:
        """The audits the user's figures count: a board member without a working role counts every audit of
        the partnership (and sees none of them); everyone else counts the audits they see."""
        return self.partnership_rows(user) if user_access(user).home_kind == "board" else self.visible(user)

    def moderatable(self, user: AnyUser) -> QuerySet[Audit]:
        """The audits "moderate" allows the user to moderate, as a queryset (the two agree for every audit)."""
        access = user_access(user)
        if not access.is_sqa or access.partnership_id is None:
            return Audit.objects.none()
        return Audit.objects.filter(
            partnership_id=access.partnership_id, status=AuditStatus.SUBMITTED
        ).exclude(pk__in=_assigned_audit_ids(user))

    def can_list(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """Is the audits list one of the user's pages (in their navigation)? Everyone with a working role."""
        return bool(user_access(user).agencies_for(*WORKING_ROLES))

    # --- who does an audit --------------------------------------------------------------------------------

    def is_assignee(self, user: AnyUser, audit: Audit) -> bool:
        """Whether the user is assigned to the audit (as auditor or second auditor)."""
        return user.pk is not None and audit.assignments.filter(user_id=user.pk).exists()

    def is_panel_member(self, user: AnyUser, audit: Audit) -> bool:
        """Whether the user sits on the panel of a level 3 audit."""
        return (
            user.pk is not None and audit.level == 3 and audit.panel_members.filter(user_id=user.pk).exists()
        )

    def is_lead_board_member(self, user: AnyUser, audit: Audit) -> bool:
        """Whether the user is the lead board member of a level 4 case review."""
        return (
            audit.level == 4
            and hasattr(audit, "case_review")
            and audit.case_review.lead_board_member_id == user.pk
        )

    def can_edit(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """Record answers, notes, grades and actions on this audit now: only while it is open, and only its
        assignees (at Level 3 the panel members too; at Level 4 the lead board member too)."""
        if obj.status not in (AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS):
            return False
        return (
            self.is_assignee(user, obj)
            or self.is_panel_member(user, obj)
            or self.is_lead_board_member(user, obj)
        )

    def can_submit(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """Submit the audit for moderation: as for editing it."""
        return self.can_edit(user, obj)

    # --- oversight by SQA officers ------------------------------------------------------------------------

    def can_oversee(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """Is the user an SQA officer of the audit's partnership (whatever its level and status)?"""
        return is_sqa_of(user, obj.partnership_id)

    def can_moderate(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """SQA officers moderate submitted audits they did not complete themselves."""
        return (
            is_sqa_of(user, obj.partnership_id)
            and obj.status == AuditStatus.SUBMITTED
            and not self.is_assignee(user, obj)
        )

    def can_reopen(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """SQA officers reopen a submitted, moderated or closed audit of their partnership."""
        return is_sqa_of(user, obj.partnership_id) and obj.status in (
            AuditStatus.SUBMITTED,
            AuditStatus.MODERATED,
            AuditStatus.CLOSED,
        )

    def can_close(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """SQA officers close a submitted or moderated audit of their partnership."""
        return is_sqa_of(user, obj.partnership_id) and obj.status in (
            AuditStatus.SUBMITTED,
            AuditStatus.MODERATED,
        )

    def can_link_reaudit(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """SQA officers of the audit's partnership mark an audit as a re-audit of an earlier one."""
        return self.can_oversee(user, obj)

    def can_set_up_case_review(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """An SQA officer of the partnership names the lead board member of an open Level 4 audit."""
        return is_sqa_of(user, obj.partnership_id) and obj.level == 4 and obj.is_open

    def can_manage_panel(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """Those who oversee a level 3 audit choose its panel; other levels have none."""
        return self.can_oversee(user, obj) and obj.level == 3

    def can_see_agreement(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """The moderation agreement page is for SQA officers, and for board members as aggregates."""
        access = user_access(user)
        return access.is_sqa or access.has_role(Role.BOARD_MEMBER)

    def can_see_moderation_queue(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """The queue of audits awaiting moderation is for those who moderate: the SQA officers. (It lists
        audits case by case, so not for board members, who see the agreement figures only.)"""
        return _is_sqa(user)

    # --- scheduling -----------------------------------------------------------------------------------------

    def can_schedule(
        self, user: AnyUser, obj: None = None, *, level: int, agency_id: int, **context: Any
    ) -> bool:
        """Create audits at this `level` for the agency `agency_id`? SQA officers at any level; agency managers
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

    def can_schedule_from(self, user: AnyUser, obj: PlannedActivity, **context: Any) -> bool:
        """Schedule audits from this planned activity of the annual plan: as for its level and lead agency."""
        return obj.level is not None and self.can_schedule(
            user, level=obj.level, agency_id=obj.lead_agency_id
        )

    def can_see_scheduling(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """The scheduling and sample pages show children, so they are for people with a working role only
        (board members and partnership admins never see child-level pages: a 404, not a 403)."""
        return children.can(user, "list")

    # --- safeguarding concerns and actions raised from audits -----------------------------------------------

    def can_raise_concern(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """A safeguarding concern is raised by whoever may edit the audit now, or an SQA officer of its
        partnership, at any audit status."""
        return self.can_edit(user, obj) or self.can_oversee(user, obj)

    def can_raise_action(self, user: AnyUser, obj: Audit, **context: Any) -> bool:
        """A remedial action is raised from an audit by whoever may edit it now (the auditor, while doing it) or
        an SQA officer of its partnership (registered with actions.sources as the audit's own rule)."""
        return self.can_edit(user, obj) or self.can_oversee(user, obj)


class ConcernPolicy(Policy[SafeguardingConcern]):
    """Safeguarding concerns: seen with the audit they were raised on."""

    model = SafeguardingConcern

    def visible(self, user: AnyUser) -> QuerySet[SafeguardingConcern]:
        """The safeguarding concerns raised on audits the user may see."""
        return SafeguardingConcern.objects.filter(audit__in=audits.visible(user)).select_related("audit")


class ToolPolicy(Policy[AuditTool]):
    """Audit tools: read by every working member of the partnership, kept by SQA officers."""

    model = AuditTool
    actions: ClassVar[frozenset[str]] = frozenset({"view", "list", "manage"})

    def visible(self, user: AnyUser) -> QuerySet[AuditTool]:
        """Every working member of the partnership may read its audit tools (they are the shared standard)."""
        return self.partnership_rows(user) if self.can_list(user) else AuditTool.objects.none()

    def can_list(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """May the user open the audit tool pages? Exactly when `visible` can hold rows for them (members of a
        partnership other than board members only: they see aggregates)."""
        access = user_access(user)
        return access.partnership_id is not None and not access.is_board_only

    def can_manage(self, user: AnyUser, obj: AuditTool | None = None, **context: Any) -> bool:
        """Building, approving and versioning audit tools is the SQA officer's."""
        return _is_sqa(user)


class PlanPolicy(Policy[AuditPlan]):
    """The annual audit plan: open to every member of the partnership, kept by SQA officers."""

    model = AuditPlan
    actions: ClassVar[frozenset[str]] = frozenset({"view", "list", "manage"})

    def visible(self, user: AnyUser) -> QuerySet[AuditPlan]:
        """The annual audit plan is open to every member of the partnership, board members included."""
        return self.partnership_rows(user)

    def can_list(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """May the user open the audit plan pages? Every member of a partnership."""
        return user_access(user).partnership_id is not None

    def can_manage(self, user: AnyUser, obj: AuditPlan | None = None, **context: Any) -> bool:
        """Only SQA officers change the audit plan."""
        return _is_sqa(user)


audits = AuditPolicy()
concerns = ConcernPolicy()
tools = ToolPolicy()
plans = PlanPolicy()
