"""The one writer of history events, and the one builder of them for writing many at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import models

from qaf.history.models import HistoryEvent, event_model_for
from qaf.models import User


def event_build(
    *, subject: models.Model, user: User | None, kind: str, at: dt.datetime | None = None, **details: Any
) -> HistoryEvent:
    """An unsaved event of `subject`, as event_record would write it (at `at`, now by default), for writing
    many at once with the event model's bulk_create (the demo's backdated history). Raises TypeError when the
    subject's model keeps no history."""
    model = event_model_for(subject)
    event = model(**{model.subject_field: subject}, user=user, kind=kind, details=details)
    if at is not None:
        event.at = at
    return event


def event_record(*, subject: models.Model, user: User | None, kind: str, **details: Any) -> HistoryEvent:
    """Record that `user` (None for the system) did `kind` to `subject` (e.g. "submitted", "verified",
    "changed"), with JSON-serialisable details (a reason, the values before and after ...), in the table of
    the subject's event model. Call inside the writing transaction so the history and the change commit
    together. Raises TypeError when the subject's model keeps no history."""
    event = event_build(subject=subject, user=user, kind=kind, **details)
    event.save(force_insert=True)
    return event


def events_bulk_create(events: Sequence[HistoryEvent], *, batch_size: int | None = None) -> None:
    """Write events made by `event_build` in bulk: the events of each event model in one bulk_create, in
    their order."""
    by_model: dict[type[HistoryEvent], list[HistoryEvent]] = {}
    for event in events:
        by_model.setdefault(type(event), []).append(event)
    for model, rows in by_model.items():
        model._default_manager.bulk_create(rows, batch_size=batch_size)
