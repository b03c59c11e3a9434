"""Reading a record's history."""

from __future__ import annotations

from django.db import models

from qaf.history.models import HistoryEvent, event_model_for


def history_for(subject: models.Model) -> models.QuerySet[HistoryEvent]:
    """The events of `subject`, oldest first, with who made each: one query, and each event's subject is
    `subject` itself, so reading it costs none. The caller has checked that the user may see the subject.
    Raises TypeError when the subject's model keeps no history."""
    model = event_model_for(subject)
    field = model._meta.get_field(model.subject_field)
    assert isinstance(field, models.ForeignKey)
    # Through the subject's related manager, so that each event's subject is `subject` without a query.
    events: models.Manager[HistoryEvent] = getattr(subject, field.remote_field.get_accessor_name() or "")
    return events.select_related("user").order_by("at", "pk")
