"""Links and sections one app offers on another app's pages, without the second importing the first.

Dependencies point one way (audits, feedback -> actions -> ehcp -> qaf): the children pages cannot import the
audits, actions or feedback apps, yet after a review meeting they should offer "Ask for feedback on this
meeting", and a child's page should show the child's audits, actions, escalations, complaints and feedback. Apps
register a function here in their AppConfig.ready(); the pages ask this registry. qaf imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from qaf.models import User

# fn(user, child, review) -> [(label, url), ...]; an empty list when it offers nothing to this user here.
MeetingFollowup = Callable[[User, object, object], list[tuple[str, str]]]

_meeting_followups: list[MeetingFollowup] = []


def register_meeting_followup(fn: MeetingFollowup) -> MeetingFollowup:
    """Add a provider of links to show after a meeting about a child (registering the same one twice is a
    no-op). Returns `fn`, so it can be used as a decorator."""
    if fn not in _meeting_followups:
        _meeting_followups.append(fn)
    return fn


def meeting_followup_links(user: User, child, review=None) -> list[tuple[str, str]]:
    """The (label, url) pairs every registered provider offers this user for a meeting about `child` (an
    annual review meeting when `review` is given), in registration order."""
    links: list[tuple[str, str]] = []
    for fn in _meeting_followups:
        links.extend(fn(user, child, review))
    return links


@dataclass(frozen=True)
class ChildPanel:
    """One section of a child's page drawn by another app: the latest rows of one of its lists, cut to the
    child and scoped exactly as that list is for this user.

    `template` draws `rows`, one dict a row with the row's record under "object" and whatever else the row
    shows (it is included with `panel` in its context, and may read `panel.context`);
    `total` is how many rows the full list has for this child, and `list_url` opens that list filtered to
    the child. `empty` is the sentence shown when there are no rows."""

    order: int
    key: str
    title: str
    template: str
    rows: list[Any]
    total: int
    list_url: str
    more_label: str
    empty: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def has_more(self) -> bool:
        return self.total > len(self.rows)


# How many rows of a list a section of the child's page shows; the rest are a link away.
PANEL_ROWS = 10


def child_list_url(url_name: str, child) -> str:
    """The list page `url_name` filtered to the child (the "See all" link of a section)."""
    return f"{reverse(url_name)}?child={child.pk}"


def child_panel(
    rows_of: QuerySet,
    *,
    row: Callable[[Any], dict[str, Any]] | None = None,
    context: Callable[[int], dict[str, Any]] | None = None,
    **panel: Any,
) -> ChildPanel:
    """A section of the child's page from `rows_of`, an app's list already scoped to the user and filtered to
    the child, in the order to show: its count, and its first PANEL_ROWS rows (no rows query when there are
    none), each drawn as `row(obj)` (by default {"object": obj}); `context(total)` adds what the section shows
    beside its rows. `panel` holds the ChildPanel's other fields (order, key, title, template, list_url,
    more_label, empty); `more_label` may name the count as {total}. Two queries."""
    total = rows_of.count()
    objects = list(rows_of[:PANEL_ROWS]) if total else []
    panel["more_label"] = panel["more_label"].format(total=total)
    return ChildPanel(
        rows=[row(obj) if row else {"object": obj} for obj in objects],
        total=total,
        context=context(total) if context else {},
        **panel,
    )


# fn(user, child) -> ChildPanel, or None when the user has no such list (the section is left out).
ChildPanelProvider = Callable[[User, object], ChildPanel | None]

_child_panels: list[ChildPanelProvider] = []


def register_child_panel(fn: ChildPanelProvider) -> ChildPanelProvider:
    """Add a provider of a section of the child's page (registering the same one twice is a no-op). Returns
    `fn`, so it can be used as a decorator."""
    if fn not in _child_panels:
        _child_panels.append(fn)
    return fn


def child_panels(user: User, child) -> list[ChildPanel]:
    """The sections the registered providers draw for this user on `child`'s page, in their fixed `order`
    (providers that return None are left out). Each provider's queries are its own; none grows with rows."""
    panels = [panel for panel in (fn(user, child) for fn in _child_panels) if panel is not None]
    return sorted(panels, key=lambda panel: (panel.order, panel.key))
