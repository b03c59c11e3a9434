"""Role-based service navigation. Apps register their entries in AppConfig.ready(); qaf imports no app.

Entries may share a section: the header then shows one item for the section (linking to the first of its
entries the user may use), and the section's list pages show all of them as a sub-navigation. That keeps the
header to a handful of items on one line, with every page still two clicks from home.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from qaf.models import User
from qaf.policies import Policy


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    order: int
    allowed: Callable[[User], bool]
    section: str


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


@dataclass(frozen=True)
class Navigation:
    """The header items, and the sub-navigation of the active section (empty unless it has two entries or more
    the user may use)."""

    header: list[NavItem] = field(default_factory=list)
    section: list[NavItem] = field(default_factory=list)
    section_label: str = ""


_entries: dict[str, NavEntry] = {}


def register(
    label: str, url_name: str, *, order: int, allowed: Callable[[User], bool], section: str = ""
) -> None:
    """Add a navigation entry shown to users for whom `allowed(user)` is true. Entries with the same `section`
    share one header item named after the section; an entry without one is a header item of its own."""
    _entries[url_name] = NavEntry(label, url_name, order, allowed, section or url_name)


def may(policy: Policy[Any], action: str) -> Callable[[User], bool]:
    """The `allowed` check of an entry shown to those who may do `action` under an app's access policy
    (`may(access.audits, "list")`), so the header offers exactly the pages the policy lets them open."""
    return lambda user: policy.can(user, action)


def register_section(section: str, entries: Iterable[tuple[str, str, int, Callable[[User], bool]]]) -> None:
    """Register the entries of one section, each a (label, URL name, order, allowed) row as for `register`."""
    for label, url_name, order, allowed in entries:
        register(label, url_name, order=order, allowed=allowed, section=section)


def navigation_for(request: HttpRequest) -> Navigation:
    """The entries the user may use, grouped by section in the order of their first entry. The entry whose URL
    is the longest prefix of the current path is active (so /audits/plans/ highlights "Audit plan", not also
    "Audits"), and so is the header item of its section. A section with one entry for this user is shown as
    that entry, under its own label. Nobody signed in has no navigation."""
    user = request.user
    if not user.is_authenticated:
        return Navigation()
    allowed = [
        (entry, reverse(entry.url_name))
        for entry in sorted(_entries.values(), key=lambda e: e.order)
        if entry.allowed(user)
    ]
    matches = [
        url for _, url in allowed if (request.path == url if url == "/" else request.path.startswith(url))
    ]
    active_url = max(matches, key=len) if matches else None

    sections: dict[str, list[tuple[NavEntry, str]]] = {}
    for entry, url in allowed:
        sections.setdefault(entry.section, []).append((entry, url))

    header: list[NavItem] = []
    sub: list[NavItem] = []
    sub_label = ""
    for name, members in sections.items():
        first_entry, first_url = members[0]
        active = any(url == active_url for _, url in members)
        label = name if len(members) > 1 else first_entry.label
        header.append(NavItem(label, first_url, active))
        if active and len(members) > 1:
            sub = [NavItem(entry.label, url, url == active_url) for entry, url in members]
            sub_label = name
    return Navigation(header=header, section=sub, section_label=sub_label)


def items_for(request: HttpRequest) -> list[NavItem]:
    """The header items for this user and page (see `navigation_for`)."""
    return navigation_for(request).header
