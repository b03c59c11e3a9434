"""Background jobs of the audit engine. Thin: take ids, load, call a service; safe to run twice."""

from __future__ import annotations

import smtplib

from celery import shared_task

from audits.models import AuditAssignment
from audits.services import scheduling


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def audit_assignment_notify(assignment_ids: list[int]) -> int:
    """Email each assigned auditor about their new audit. Assignments already notified, or deleted since
    the task was queued, are skipped, so a retry or a second delivery sends nothing twice. Returns how many
    emails were sent."""
    sent = 0
    for assignment in AuditAssignment.objects.filter(pk__in=assignment_ids).order_by("pk"):
        sent += scheduling.assignment_notify(assignment=assignment)
    return sent


from audits.tasks_actions import *  # noqa: E402,F401,F403
from audits.tasks_escalations import *  # noqa: E402,F401,F403
from audits.tasks_reminders import *  # noqa: E402,F401,F403
