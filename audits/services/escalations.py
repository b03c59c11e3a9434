"""What an audit escalates: an audit whose grade of record is Inadequate, and a safeguarding concern raised
during an audit, each go at once to the head of service (actions.services.escalations.escalation_raise).

The responsible agency is the audit's agency, at every level: for Level 2/3 audits with a child we still take
the audit's agency (the agency that owns the audit answers for it) rather than guessing among the child's
agencies. Summaries carry the case reference and initials only, never a name or the concern's text. Each
escalation is also recorded in the audit's history ("escalated").
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from actions.models import Escalation, EscalationTrigger
from actions.services import escalations as action_escalations
from audits import access
from audits.models import Audit, SafeguardingConcern
from qaf.history.services import event_record
from qaf.models import User


def _case_words(audit: Audit) -> str:
    """The case as emails and summaries name it: reference and initials only."""
    if audit.child is not None:
        return f"case {audit.child.case_reference} ({audit.child.initials})"
    return audit.title or f"audit {audit.pk}"


def _escalate(
    *, audit: Audit, source: models.Model, by: User | None, trigger: str, trigger_key: str, summary: str
) -> Escalation:
    escalation, created = action_escalations.escalation_raise(
        source=source,
        by=by,
        trigger=trigger,
        trigger_key=trigger_key,
        summary=summary,
        agency=audit.agency,
        child=audit.child,
        theme_ids=list(audit.themes.values_list("pk", flat=True)),
    )
    if created:
        event_record(subject=audit, user=by, kind="escalated", escalation=escalation.pk, trigger=trigger)
    return escalation


@transaction.atomic
def escalation_for_inadequate_audit(*, audit: Audit, by: User | None) -> Escalation:
    """The escalation of an audit whose grade of record is Inadequate (graded so by the auditor at submission, or
    by a moderator), created once: called again (a retried submit, a second delivery, a moderation agreeing with
    an Inadequate auditor) it returns the existing one. Writes the escalation, its "raised" event and an
    "escalated" audit event, and queues `escalation_notify` on commit. Raises ValidationError when the audit's
    grade of record is not Inadequate. Callers check access (audit_submit and audit_moderate do)."""
    if audit.grade_of_record != "inadequate":
        raise ValidationError("Only an audit graded Inadequate overall is escalated.")
    moderated_down = audit.moderated_at is not None and audit.overall_grade != "inadequate"
    how = "was moderated to Inadequate overall" if moderated_down else "was graded Inadequate overall"
    summary = f"The Level {audit.level} audit of {_case_words(audit)} for {audit.agency.name} {how}."
    return _escalate(
        audit=audit,
        source=audit,
        by=by,
        trigger=EscalationTrigger.INADEQUATE_AUDIT,
        trigger_key=f"audit:{audit.pk}:inadequate",
        summary=summary,
    )


@transaction.atomic
def safeguarding_concern_raise(*, audit: Audit, by: User, description: str) -> Escalation:
    """Record a safeguarding concern on the audit and escalate it to the head of service at once (one
    escalation per concern, whose source is the concern). Callers fetch the audit through
    `access.audits.get_for_user`.

    Raises PermissionDenied unless `access.audits.can(by, "raise_concern", audit)`; ValidationError keyed `description` when
    it is empty."""
    if not access.audits.can(by, "raise_concern", audit):
        raise PermissionDenied(
            "Only the audit's auditors or an SQA officer can raise a safeguarding concern."
        )
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "Describe the safeguarding concern."})
    concern = SafeguardingConcern.objects.create(audit=audit, raised_by=by, description=description)
    summary = (
        f"A safeguarding concern was raised during the Level {audit.level} audit of {_case_words(audit)} "
        f"for {audit.agency.name}."
    )
    return _escalate(
        audit=audit,
        source=concern,
        by=by,
        trigger=EscalationTrigger.SAFEGUARDING,
        trigger_key=f"concern:{concern.pk}",
        summary=summary,
    )
