"""Background jobs of the voice: thin, take ids, call a service, safe to run twice."""

from __future__ import annotations

import smtplib

from celery import shared_task

from feedback.models import FeedbackResponse
from feedback.services import responses

MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def response_alert(response_id: int) -> bool:
    """Tell the agency's managers about a lowest rating (once); retried with backoff on mail errors."""
    response = FeedbackResponse.objects.filter(pk=response_id).first()
    if response is None:
        return False
    return responses.response_alert_send(response=response)
