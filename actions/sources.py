"""Where remedial actions and escalations come from: the registry of source records.

An action or an escalation names the record it came from (an audit, a dip sample, a safeguarding concern, a
complaint ...) only by a generic link: a content type and an id. The app that owns such records registers them
here in its AppConfig.ready() (as it registers navigation entries and child-page sections), saying how the
action and escalation pages name the record and link to it, who may open it, who may raise an action from it,
and which child, agency and partnership it is about. The actions app imports none of those apps: everything it
shows or checks about a source comes through this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from qaf.models import Agency, User

if TYPE_CHECKING:
    from actions.models import Escalation, RemedialAction


def _none(obj: Model) -> None:
    return None


def _no_rows(obj: Model) -> list[tuple[str, str]]:
    return []


def _no_references(obj: Model) -> dict[str, int]:
    return {}


def _partnership_id(obj: Model) -> int | None:
    return getattr(obj, "partnership_id", None)


@dataclass(frozen=True)
class Source:
    """One kind of record actions or escalations may come from.

    `kind` is the key the pages use (?source=<kind>, /actions/raise/<kind>/<id>/) and, unless `action_source`
    says otherwise, the `source` value of the actions raised from the record. `heading` names the record on the action and escalation pages
    ("Audit"), `noun` in sentences ("raised from this audit"). `visible(user)` is the records of this kind the
    user may open: others are named without a link, by `hidden_label` (or `label`). Without a `label`, the
    action's own source and note name it. `child_of`, `agency_of` and `partnership_of` say what the record is
    about: an action from it is about its child, and belongs to its partnership.

    `may_raise(user, record)`, when given, is who may raise an action from the record on its own page (an
    audit's auditors while they do it); that page offers the staff of `agency_of(record)`, is headed by
    `caption(record)`, and leads to `return_url(user, record)` once the action is raised if the user may not
    open the action (an auditor's action for another agency's worker). Without `may_raise`, the general rule
    for actions raised from other QA activity applies, in the record's agency and for its staff only, and a
    `linkable` record may be named on the general page.

    `references(record)` is the ids the API gives for it ({"audit": 12}); `details(record)` the facts the
    escalation page shows about it, as (heading, text) rows."""

    kind: str
    model_label: str
    heading: str
    noun: str
    visible: Callable[[User], QuerySet]
    url: Callable[[Model], str] | None = None
    label: Callable[[Model], str] | None = None
    hidden_label: Callable[[Model], str] | None = None
    may_raise: Callable[[User, Model], bool] | None = None
    caption: Callable[[Model], str] | None = None
    return_url: Callable[[User, Model], str] | None = None
    linkable: bool = False
    child_of: Callable[[Model], Any] = _none
    agency_of: Callable[[Model], Agency | None] = _none
    partnership_of: Callable[[Model], int | None] = _partnership_id
    references: Callable[[Model], dict[str, int]] = _no_references
    details: Callable[[Model], list[tuple[str, str]]] = _no_rows
    action_source: str = ""

    @property
    def recorded_as(self) -> str:
        """The `source` value (ActionSource) of an action raised from a record of this kind."""
        return self.action_source or self.kind


_by_kind: dict[str, Source] = {}
_by_model: dict[str, Source] = {}


def register_source(kind: str, model_label: str, **options: Any) -> Source:
    """Register (or register again, replacing) the records of `model_label` ("app_label.ModelName") as a source
    of actions or escalations under `kind`; `options` are the other fields of Source. Returns the Source."""
    source = Source(kind=kind, model_label=model_label, **options)
    old = _by_kind.get(kind)
    if old is not None:
        _by_model.pop(old.model_label.lower(), None)
    _by_kind[kind] = source
    _by_model[model_label.lower()] = source
    return source


def unregister_source(kind: str) -> None:
    """Forget a kind of source (for tests that register one of their own)."""
    source = _by_kind.pop(kind, None)
    if source is not None:
        _by_model.pop(source.model_label.lower(), None)


def source_kind(kind: str) -> Source | None:
    """The registered kind named `kind`, or None."""
    return _by_kind.get(kind)


def source_of(record: Model) -> Source | None:
    """The registered kind `record` is one of, or None."""
    return _by_model.get(record._meta.label_lower)


def source_of_link(row: RemedialAction | Escalation) -> Source | None:
    """The registered kind of the record an action or escalation `row` links to, or None (no link, or a record
    of a kind no app registers)."""
    if not row.source_type_id:
        return None
    content_type = ContentType.objects.get_for_id(row.source_type_id)
    return _by_model.get(f"{content_type.app_label}.{content_type.model}")


def link_of(record: Model) -> dict[str, Any]:
    """The generic link fields naming `record` (source_type, source_id), for a filter or a new row."""
    return {"source_type": ContentType.objects.get_for_model(record), "source_id": record.pk}


@dataclass(frozen=True)
class SourceLink:
    """How a page names a source record to one user: its heading, its name, and its page when they may open it."""

    heading: str
    text: str
    url: str | None


def describe(user: User, record: Model, *, default: str = "") -> SourceLink | None:
    """How `record` is shown to `user`: named by its kind's label (else `default`), linking to its page when the
    kind has one and the user may open the record, else named by its hidden label. None when `record` is of no
    registered kind. One query (whether the user may open it)."""
    source = source_of(record)
    if source is None:
        return None
    opened = source.url is not None and source.visible(user).filter(pk=record.pk).exists()
    return _link(source, record, opened=opened, default=default)


def describe_source_of(
    user: User, row: RemedialAction | Escalation, *, default: str = ""
) -> tuple[SourceLink | None, Model | None]:
    """How the record an action or escalation `row` came from is shown to `user` (as `describe`), and the
    record: (None, None) when it has none or one of no registered kind. The record is read together with the
    check that the user may open it: one query when they may, two when they may not."""
    source = source_of_link(row)
    if source is None:
        return None, None
    record = source.visible(user).filter(pk=row.source_id).first() if source.url is not None else None
    if record is not None:
        return _link(source, record, opened=True, default=default), record
    record = row.source_object
    if record is None:
        return None, None
    return _link(source, record, opened=False, default=default), record


def _link(source: Source, record: Model, *, opened: bool, default: str) -> SourceLink:
    text = source.label(record) if source.label else default
    if opened and source.url is not None:
        return SourceLink(heading=source.heading, text=text, url=source.url(record))
    hidden = source.hidden_label(record) if source.hidden_label else text
    return SourceLink(heading=source.heading, text=hidden, url=None)


def references(record: Model | None) -> dict[str, int]:
    """The ids the API gives for a source record ({"audit": 12, "concern": 3}); {} for none or an unknown kind."""
    if record is None:
        return {}
    source = source_of(record)
    return source.references(record) if source is not None else {}


def details(record: Model | None) -> list[tuple[str, str]]:
    """The (heading, text) facts the escalation page shows about its source record."""
    if record is None:
        return []
    source = source_of(record)
    return source.details(record) if source is not None else []
