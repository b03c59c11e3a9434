"""Level 4 system-leader case reviews: setting one up with its lead board member, and keeping its record of
consent and of the meeting with the child or young person and their family.

A board member otherwise sees no child's record; leading a case review grants them that one audit and that
one child (django-guardian), and changing the lead moves the grants.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audits import access
from audits.models import Audit, AuditAssignment, AuditLevel, CaseReviewRecord
from audits.services.panel import (
    LevelPartRefusals,
    case_access_grant,
    case_access_revoke,
    level_part_change_check,
)
from qaf.history.services import event_record
from qaf.models import Membership, Role, User

CONSENT_FIELDS = ("consent_given_by", "consent_given_on", "consent_how")
MEETING_FIELDS = ("met_on", "child_views", "ambitions", "barriers", "family_views")
CASE_REVIEW_REFUSALS = LevelPartRefusals(
    wrong_level="Only a Level 4 audit has a case review record.",
    not_allowed="Only an SQA officer may set up a case review.",
    closed="This audit is closed; reopen it to change its case review.",
)
CONSENT_MISSING = {
    "consent_given_by": "Enter who gave consent",
    "consent_given_on": "Enter the date consent was given",
    "consent_how": "Enter how consent was given",
}


def _is_board_member_of(user: User, partnership_id: int) -> bool:
    return (
        user.is_active
        and user.partnership_id == partnership_id
        and Membership.objects.filter(
            user=user, role=Role.BOARD_MEMBER, agency__partnership_id=partnership_id
        ).exists()
    )


@transaction.atomic
def case_review_setup(*, audit: Audit, lead_board_member: User, by: User) -> CaseReviewRecord:
    """Start (or hand over) the case review record of a Level 4 audit led by `lead_board_member`.

    Only an SQA officer of the audit's partnership may (PermissionDenied). The lead must be a board member
    of the partnership (ValidationError on `lead_board_member`); the audit must be Level 4 and not closed.
    The lead is granted the audit and its child, and the lead and the SQA officer are assigned to the audit.
    Naming a different lead later moves the grants and the assignment from the previous lead. Recorded in
    the history."""
    level_part_change_check(audit, by, AuditLevel.CASE_REVIEW, "oversee", CASE_REVIEW_REFUSALS)
    if not _is_board_member_of(lead_board_member, audit.partnership_id):
        raise ValidationError({"lead_board_member": "Choose a board member of this partnership"})
    record = CaseReviewRecord.objects.select_for_update().filter(audit=audit).first()
    previous = None
    if record is None:
        record = CaseReviewRecord.objects.create(audit=audit, lead_board_member=lead_board_member)
    elif record.lead_board_member_id == lead_board_member.pk:
        raise ValidationError({"lead_board_member": f"{lead_board_member.display_name} already leads it"})
    else:
        previous = record.lead_board_member
        record.lead_board_member = lead_board_member
        record.save(update_fields=["lead_board_member"])
        AuditAssignment.objects.filter(audit=audit, user=previous).delete()
        case_access_revoke(audit=audit, user=previous)
    case_access_grant(audit=audit, user=lead_board_member)
    for user in (lead_board_member, by):
        AuditAssignment.objects.get_or_create(audit=audit, user=user, defaults={"assigned_by": by})
    details = {"lead_id": lead_board_member.pk, "lead": lead_board_member.display_name}
    if previous is not None:
        details.update(previous_lead_id=previous.pk, previous_lead=previous.display_name)
    kind = "case_review_lead_changed" if previous else "case_review_set_up"
    event_record(subject=audit, user=by, kind=kind, **details)
    audit.case_review = record
    return record


def _consent_errors(values: dict[str, Any], today: dt.date, meeting_given: bool) -> dict[str, str]:
    """Consent is all or nothing, must be recorded before any meeting notes, and cannot be given in the
    future."""
    errors: dict[str, str] = {}
    consent_given = [name for name in CONSENT_FIELDS if values[name]]
    if consent_given or meeting_given:
        errors.update((name, CONSENT_MISSING[name]) for name in CONSENT_FIELDS if not values[name])
        if meeting_given and len(consent_given) < len(CONSENT_FIELDS):
            errors[NON_FIELD_ERRORS] = "Record who gave consent, when and how before the meeting notes"
    if values["consent_given_on"] and values["consent_given_on"] > today:
        errors["consent_given_on"] = "The date consent was given must be today or in the past"
    return errors


def _meeting_errors(values: dict[str, Any], today: dt.date, meeting_given: bool) -> dict[str, str]:
    """The meeting needs its date once anything of it is recorded, not in the future nor before consent."""
    met_on, consent_given_on = values["met_on"], values["consent_given_on"]
    if not met_on:
        return {"met_on": "Enter the date of the meeting"} if meeting_given else {}
    if met_on > today:
        return {"met_on": "The date of the meeting must be today or in the past"}
    if consent_given_on and met_on < consent_given_on:
        return {"met_on": "The meeting must be on or after the date consent was given"}
    return {}


def _validate(values: dict[str, Any], today: dt.date) -> None:
    """Raise ValidationError (by field) unless the consent and meeting record in `values` hold together."""
    meeting_given = any(values[name] for name in MEETING_FIELDS)
    errors = {
        **_consent_errors(values, today, meeting_given),
        **_meeting_errors(values, today, meeting_given),
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_review_update(
    *,
    record: CaseReviewRecord,
    by: User,
    consent_given_by: str = "",
    consent_given_on: dt.date | None = None,
    consent_how: str = "",
    met_on: dt.date | None = None,
    child_views: str = "",
    ambitions: str = "",
    barriers: str = "",
    family_views: str = "",
) -> CaseReviewRecord:
    """Record consent (who gave it, when, how) and the meeting with the child or young person and family
    (when, their views, ambitions and the barriers they see).

    Only someone who may edit the audit (its assignees and lead board member, while it is open) may
    (PermissionDenied). Consent must be complete before any meeting notes are kept; dates may not be in the
    future, and the meeting may not come before consent (ValidationError with field names). The history
    records which fields changed, not their contents."""
    if not access.audits.can(by, "edit", record.audit):
        raise PermissionDenied("You may not change this case review.")
    values = {
        "consent_given_by": (consent_given_by or "").strip(),
        "consent_given_on": consent_given_on,
        "consent_how": (consent_how or "").strip(),
        "met_on": met_on,
        "child_views": (child_views or "").strip(),
        "ambitions": (ambitions or "").strip(),
        "barriers": (barriers or "").strip(),
        "family_views": (family_views or "").strip(),
    }
    _validate(values, timezone.localdate())
    had_consent = record.has_consent
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if not changed:
        return record
    for name in changed:
        setattr(record, name, values[name])
    record.save(update_fields=changed)
    event_record(subject=record.audit, user=by, kind="case_review_updated", fields=changed)
    if record.has_consent and not had_consent:
        event_record(subject=record.audit, user=by, kind="consent_recorded", how=record.consent_how)
    return record
