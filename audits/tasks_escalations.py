"""Background jobs of case escalations. Thin: take ids, load, call a service; safe to run twice.

`escalations_chase` is run by celery beat (CELERY_BEAT_SCHEDULE, every 30 minutes; once would do after
the 17:00 deadlines): it chases and raises escalations the head of service has not acknowledged.
"""

from __future__ import annotations

import smtplib

from celery import shared_task

from audits.models import Escalation
from audits.services import escalations

__all__ = ["escalation_notify", "escalations_chase"]


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def escalation_notify(escalation_id: int) -> bool:
    """Email the head of service (or the SQA officers) about a new escalation. Sends nothing when it was
    already notified or no longer exists; a failed send records nothing and is retried with backoff."""
    escalation = Escalation.objects.filter(pk=escalation_id).first()
    if escalation is None:
        return False
    return escalations.escalation_notify(escalation=escalation)


@shared_task
def escalations_chase() -> dict[str, int]:
    """Chase overdue escalations and raise them to the SQA lead (each step once)."""
    return escalations.escalations_chase()
