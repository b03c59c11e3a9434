"""Reads about the records actions and escalations come from (actions.sources): the actions raised from one
record, as the record's own page shows them, and where to raise another.

The record's page (an audit, a complaint) calls `source_actions` and draws the result with
actions/actions/for_source.html; the check of who may see and raise is made here, once, not in a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.urls import reverse

from actions import access, sources
from actions.models import Escalation, RemedialAction
from qaf.models import User

M = TypeVar("M", bound=Model)


def raised_from(queryset: QuerySet[M], record: Model) -> QuerySet[M]:
    """The rows of `queryset` (actions or escalations, already scoped) whose source is `record`."""
    return queryset.filter(**sources.link_of(record))


def raise_url(user: User, record: Model) -> str | None:
    """Where the user raises an action from `record`, or None when they may not: the record's own raise page
    for a kind with its own rule (an audit), else the general page with the record named."""
    source = sources.source_of(record)
    if source is None or not access.actions.can(user, "raise", record):
        return None
    if source.may_raise is not None:
        return reverse("actions:action-raise-from", args=[source.kind, record.pk])
    if source.linkable:
        return f"{reverse('actions:action-raise')}?source={source.kind}&source_id={record.pk}"
    return None


@dataclass(frozen=True)
class SourceActions:
    """The actions of one source record the user may see (soonest due first), how many they raised from it
    that they may not see (gone to another agency's worker), the record's noun and the raise link."""

    actions: list[RemedialAction]
    hidden: int
    noun: str
    raise_url: str | None


def source_actions(user: User, record: Model) -> SourceActions:
    """The remedial actions raised from `record` that the user may see, and a "Raise an action" link when they
    may raise one. An auditor may raise actions they cannot open afterwards (they go to another agency's
    worker): those are counted, not shown. Three queries at most, however many actions."""
    visible = raised_from(access.actions.visible(user), record)
    actions = list(visible.select_related("agency", "worker").order_by("due_on", "pk"))
    hidden = (
        raised_from(RemedialAction.objects.filter(raised_by_id=user.pk), record)
        .exclude(pk__in=visible.values("pk"))
        .count()
        if getattr(user, "is_authenticated", False)
        else 0
    )
    source = sources.source_of(record)
    return SourceActions(
        actions=actions,
        hidden=hidden,
        noun=source.noun if source is not None else "record",
        raise_url=raise_url(user, record),
    )


def escalations_raised_from(record: Model) -> QuerySet[Escalation]:
    """Every escalation whose source is `record` (for the record's own app; not scoped to a user)."""
    return raised_from(Escalation.objects.all(), record)
