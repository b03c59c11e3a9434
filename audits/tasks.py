"""Background jobs of the audit engine. Thin: take ids, load, call a service; safe to run twice. Sending jobs
share qaf.tasks' retry policy."""

from __future__ import annotations

from audits.models import AuditAssignment
from audits.services import scheduling
from qaf.tasks import send_task


@send_task
def audit_assignment_notify(assignment_ids: list[int]) -> int:
    """Email each assigned auditor about their new audit. Assignments already notified, or deleted since
    the task was queued, are skipped, so a retry or a second delivery sends nothing twice. Returns how many
    emails were sent."""
    sent = 0
    for assignment in AuditAssignment.objects.filter(pk__in=assignment_ids).order_by("pk"):
        sent += scheduling.assignment_notify(assignment=assignment)
    return sent
