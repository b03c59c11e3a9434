"""The one writer of history events."""

from __future__ import annotations

from typing import Any

from django.db import models

from qaf.history.models import HistoryEvent, event_model_for
from qaf.models import User


def event_record(*, subject: models.Model, user: User | None, kind: str, **details: Any) -> HistoryEvent:
    """Record that `user` (None for the system) did `kind` to `subject` (e.g. "submitted", "verified",
    "changed"), with JSON-serialisable details (a reason, the values before and after ...), in the table of
    the subject's event model. Call inside the writing transaction so the history and the change commit
    together. Raises TypeError when the subject's model keeps no history."""
    model = event_model_for(subject)
    return model._default_manager.create(
        **{model.subject_field: subject}, user=user, kind=kind, details=details
    )
