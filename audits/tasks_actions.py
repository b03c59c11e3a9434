"""Background jobs for remedial-action emails. Thin: take ids, load, call a service; safe to run twice
(audits.services.actions records each email sent, so a retry or a second delivery sends nothing twice)."""

from __future__ import annotations

import smtplib

from celery import shared_task

from audits.models import ActionEvent, RemedialAction
from audits.services import actions as services
from qaf.notify import NotifyError

RETRY_ON = (smtplib.SMTPException, ConnectionError, TimeoutError, NotifyError)


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def action_notify_raised(action_id: int) -> int:
    """Email the worker and team manager about a newly raised action. Returns how many emails were sent."""
    action = RemedialAction.objects.filter(pk=action_id).first()
    if action is None:
        return 0
    return services.action_notify_raised(action=action)


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def action_notify_event(event_id: int) -> int:
    """Email the people a change to an action concerns (completed, verified, cancelled)."""
    event = ActionEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    return services.action_event_notify(event=event)
