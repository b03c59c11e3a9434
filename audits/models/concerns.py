"""Safeguarding concerns raised during an audit. Each is escalated at once to the head of service (actions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SafeguardingConcern(models.Model):
    """A safeguarding concern raised during an audit (at any moment, not only at submit)."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.PROTECT, related_name="safeguarding_concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    description = models.TextField()

    def __str__(self) -> str:
        return f"Safeguarding concern on audit {self.audit_id}"
