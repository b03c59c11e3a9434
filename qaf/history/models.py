"""The abstract history event, and the registry that finds the concrete event model of a record.

A concrete event model subclasses HistoryEvent, declares the foreign key to the record it belongs to (with
related_name "events") and names it in `subject_field`. `kind_labels` says how its kinds read on the timeline
and `change_labels` how the fields of a recorded change ("changes": {field: [before, after]}) read; a model
whose details say more overrides `description`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, ClassVar, TypedDict

from django.apps import apps
from django.db import models
from django.utils import timezone

from qaf.models import person_link


class Change(TypedDict):
    """One field's change in a history event: its label and its values before and after."""

    label: str
    before: Any
    after: Any


class HistoryEvent(models.Model):
    """One entry in a record's history: `user` (None for the system) did `kind` at `at`, with JSON details."""

    subject_field: ClassVar[str]
    kind_labels: ClassVar[Mapping[str, str]] = {}
    change_labels: ClassVar[Mapping[str, str]] = {}

    user = person_link()
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        """Abstract: each subject's events are read oldest first."""

        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.subject_field} {getattr(self, f'{self.subject_field}_id')}"

    @property
    def title(self) -> str:
        """The kind in words, from the model's `kind_labels`; a kind without a label reads as its name."""
        return self.kind_labels.get(self.kind) or self.kind.replace("_", " ").capitalize()

    @property
    def description(self) -> str:
        """A line of detail for the timeline; nothing unless the concrete model says more."""
        return ""

    @property
    def changes(self) -> list[Change]:
        """The fields a "changes" detail records, each with its label and its values before and after."""
        recorded = (self.details or {}).get("changes") or {}
        return [
            Change(
                label=self.change_labels.get(name) or name.replace("_", " ").capitalize(),
                before=before,
                after=after,
            )
            for name, (before, after) in recorded.items()
        ]


@functools.cache
def _event_models() -> dict[type[models.Model], type[HistoryEvent]]:
    registry: dict[type[models.Model], type[HistoryEvent]] = {}
    for model in apps.get_models():
        if issubclass(model, HistoryEvent):
            subject = model._meta.get_field(model.subject_field).related_model
            assert isinstance(subject, type), f"{model.__name__}.{model.subject_field} is not a foreign key"
            registry[subject] = model
    return registry


def event_model_for(subject: models.Model) -> type[HistoryEvent]:
    """The concrete event model that records the history of `subject`'s model.

    Raises TypeError for a record whose model keeps no history."""
    model = type(subject)._meta.concrete_model or type(subject)
    try:
        return _event_models()[model]
    except KeyError:
        raise TypeError(f"{model.__name__} keeps no history") from None
