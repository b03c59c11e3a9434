"""The Level 3 multi-agency panel: adding and removing members, with their per-object grants kept in step.

A panel member may come from any agency of the partnership, so what they see of the audit and its child
comes from explicit django-guardian grants (`audits.view_audit` on the audit, `ehcp.view_child` on the
child), given when they join and taken away when they leave.
"""

from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from audits import access
from audits.models import Audit, AuditLevel, AuditStatus, AuditUserObjectPermission, PanelMember
from qaf.access import WORKING_ROLES
from qaf.history.services import event_record
from qaf.models import Agency, Membership, User

VIEW_AUDIT = "audits.view_audit"
VIEW_CHILD = "ehcp.view_child"


def case_access_grant(*, audit: Audit, user: User) -> None:
    """Let `user` see this audit and its child (Level 3 panel members, the Level 4 lead board member)."""
    assign_perm(VIEW_AUDIT, user, audit)
    if audit.child_id:
        assign_perm(VIEW_CHILD, user, audit.child)


def case_access_revoke(*, audit: Audit, user: User) -> None:
    """Take back what `case_access_grant` gave. The child grant stays while another Level 3 or Level 4
    audit of the same child still grants that audit to the user (they still need to see the child there)."""
    remove_perm(VIEW_AUDIT, user, audit)
    if not audit.child_id:
        return
    still_granted = (
        AuditUserObjectPermission.objects.filter(
            user_id=user.pk,
            permission__codename="view_audit",
            content_object__child_id=audit.child_id,
            content_object__level__in=(AuditLevel.MULTI_AGENCY, AuditLevel.CASE_REVIEW),
        )
        .exclude(content_object_id=audit.pk)
        .exists()
    )
    if not still_granted:
        remove_perm(VIEW_CHILD, user, audit.child)


class LevelPartRefusals(NamedTuple):
    """The words a change to a part of an audit that only one level has (the Level 3 panel, the Level 4 case
    review) is refused with: for an audit of another level, for someone who may not, for a closed audit."""

    wrong_level: str
    not_allowed: str
    closed: str


def level_part_change_check(
    audit: Audit, by: User, level: int, permission: str, refusals: LevelPartRefusals
) -> None:
    """Refuse a change to a part of `audit` that only audits of `level` have: ValidationError for an audit of
    another level, PermissionDenied unless access.audits.can(by, permission, audit), ValidationError for a
    closed audit (each with its words in `refusals`)."""
    if audit.level != level:
        raise ValidationError(refusals.wrong_level)
    if not access.audits.can(by, permission, audit):
        raise PermissionDenied(refusals.not_allowed)
    if audit.status == AuditStatus.CLOSED:
        raise ValidationError(refusals.closed)


PANEL_REFUSALS = LevelPartRefusals(
    wrong_level="Only a Level 3 multi-agency audit has a panel.",
    not_allowed="Only an SQA officer may change a Level 3 panel.",
    closed="This audit is closed; reopen it to change its panel.",
)


def _check(audit: Audit, by: User) -> None:
    level_part_change_check(audit, by, AuditLevel.MULTI_AGENCY, "manage_panel", PANEL_REFUSALS)


def _member_event(audit: Audit, by: User, kind: str, member: User, agency_name: str) -> None:
    """Record in the audit's history that `member` (for `agency_name`) joined or left its panel."""
    event_record(
        subject=audit,
        user=by,
        kind=kind,
        member_id=member.pk,
        member=member.display_name,
        agency=agency_name,
    )


@transaction.atomic
def panel_member_add(*, audit: Audit, user: User, agency: Agency, by: User) -> PanelMember:
    """Put `user`, representing `agency`, on the panel of a Level 3 audit, and grant them the audit and its
    child.

    Only an SQA officer of the partnership may (PermissionDenied). The user must be an active member of
    that agency in a working role, in the audit's partnership, and not on the panel already
    (ValidationError on `user` or `agency`). Recorded in the history."""
    _check(audit, by)
    if agency.partnership_id != audit.partnership_id or not agency.is_active:
        raise ValidationError({"agency": "Choose an agency of this partnership"})
    if user.partnership_id != audit.partnership_id or not user.is_active:
        raise ValidationError({"user": "Choose a member of this partnership"})
    if not Membership.objects.filter(user=user, agency=agency, role__in=WORKING_ROLES).exists():
        raise ValidationError({"user": f"{user.display_name} does not work for {agency.name}"})
    if audit.panel_members.filter(user=user).exists():
        raise ValidationError({"user": f"{user.display_name} is already on this panel"})
    member = PanelMember.objects.create(audit=audit, user=user, agency=agency)
    case_access_grant(audit=audit, user=user)
    _member_event(audit, by, "panel_member_added", user, agency.name)
    return member


@transaction.atomic
def panel_member_remove(*, audit: Audit, user: User, by: User) -> None:
    """Take `user` off the panel of a Level 3 audit and take back their grants on the audit and, unless
    another Level 3 or 4 audit of the child still grants it, on the child.

    Only an SQA officer of the partnership may (PermissionDenied); a user not on the panel is a
    ValidationError on `user`. Recorded in the history."""
    _check(audit, by)
    member = audit.panel_members.select_related("agency").filter(user=user).first()
    if member is None:
        raise ValidationError({"user": f"{user.display_name} is not on this panel"})
    agency_name = member.agency.name
    member.delete()
    case_access_revoke(audit=audit, user=user)
    _member_event(audit, by, "panel_member_removed", user, agency_name)
