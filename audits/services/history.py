"""The audit history: every change to an audit is recorded as an AuditEvent."""

from __future__ import annotations

from audits.models import Audit, AuditEvent
from qaf.models import User


def audit_event_record(*, audit: Audit, user: User | None, action: str, **details) -> AuditEvent:
    """Record that `user` did `action` to `audit` (e.g. "scheduled", "answered", "submitted", "reopened"),
    with JSON-serialisable details (a reason, the grades before and after ...). Call inside the writing
    transaction so the history and the change commit together."""
    return AuditEvent.objects.create(audit=audit, user=user, action=action, details=details)
