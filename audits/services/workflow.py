"""Moving an audit on after it is submitted: the SQA officer reopens it (with a reason) or closes it.

Submitting and moderating live with the audit form and moderation services; these two are the SQA officer's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audits import access
from audits.models import Audit, AuditStatus
from audits.selectors import grades
from qaf.history.services import event_record
from qaf.models import User

REOPENABLE = (AuditStatus.SUBMITTED, AuditStatus.MODERATED, AuditStatus.CLOSED)
CLOSABLE = (AuditStatus.SUBMITTED, AuditStatus.MODERATED)


def _locked(audit: Audit) -> Audit:
    # Re-read under a row lock so two officers acting at once cannot both move the audit.
    return Audit.objects.select_for_update().get(pk=audit.pk)


@transaction.atomic
def audit_reopen(*, audit: Audit, by: User, reason: str) -> Audit:
    """Send a submitted, moderated or closed audit back to "in progress" so its assignees can change it.

    Only an SQA officer of the audit's partnership may (PermissionDenied otherwise). The reason is required
    (ValidationError on `reason`) and kept in the history with the status the audit had. Answers, grades
    and moderations stay as they are; the submitted, moderated and closed times are cleared, since the
    audit will be submitted again, and the grade of record falls back to the auditor's grade."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for reopening the audit"})
    locked = _locked(audit)
    if locked.status not in REOPENABLE:
        raise ValidationError(
            {
                "reason": f"This audit is {locked.get_status_display().lower()}; only a submitted, "
                "moderated or closed audit can be reopened"
            }
        )
    if not access.audits.can(by, "reopen", locked):
        raise PermissionDenied("Only an SQA officer may reopen an audit.")
    previous = locked.status
    locked.status = AuditStatus.IN_PROGRESS
    locked.submitted_at = locked.moderated_at = locked.closed_at = None
    # Its moderations stay, but no longer count: until it is moderated again, the auditor's grade is of record.
    locked.grade_of_record = grades.audit_grade_of_record(locked)
    locked.save(
        update_fields=["status", "submitted_at", "moderated_at", "closed_at", "grade_of_record", "updated_at"]
    )
    event_record(subject=locked, user=by, kind="reopened", reason=reason, previous_status=previous)
    _refresh(audit, locked)
    return audit


@transaction.atomic
def audit_close(*, audit: Audit, by: User) -> Audit:
    """Close a submitted or moderated audit: nothing more is done to it unless it is reopened.

    Only an SQA officer of the audit's partnership may (PermissionDenied otherwise); an audit in any other
    status is a ValidationError. Recorded in the history."""
    locked = _locked(audit)
    if locked.status not in CLOSABLE:
        raise ValidationError(
            f"This audit is {locked.get_status_display().lower()}; only a submitted or moderated audit "
            "can be closed"
        )
    if not access.audits.can(by, "close", locked):
        raise PermissionDenied("Only an SQA officer may close an audit.")
    previous = locked.status
    locked.status = AuditStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    event_record(subject=locked, user=by, kind="closed", previous_status=previous)
    _refresh(audit, locked)
    return audit


def _refresh(audit: Audit, locked: Audit) -> None:
    """Copy the written workflow fields back onto the caller's instance."""
    for field in ("status", "submitted_at", "moderated_at", "closed_at", "grade_of_record", "updated_at"):
        setattr(audit, field, getattr(locked, field))
