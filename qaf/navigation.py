"""Role-based service navigation. Apps register their entries in AppConfig.ready(); qaf imports no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from qaf.models import User


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    order: int
    allowed: Callable[[User], bool]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


_entries: dict[str, NavEntry] = {}


def register(label: str, url_name: str, *, order: int, allowed: Callable[[User], bool]) -> None:
    """Add a header navigation entry shown to users for whom `allowed(user)` is true."""
    _entries[url_name] = NavEntry(label, url_name, order, allowed)


def items_for(request: HttpRequest) -> list[NavItem]:
    """The entries the user may use; the one whose URL is the longest prefix of the current path is active
    (so /children/import/ highlights "Import", not also "Children and plans")."""
    allowed = [
        (entry, reverse(entry.url_name))
        for entry in sorted(_entries.values(), key=lambda e: e.order)
        if entry.allowed(request.user)
    ]
    matches = [
        url for _, url in allowed if (request.path == url if url == "/" else request.path.startswith(url))
    ]
    active_url = max(matches, key=len) if matches else None
    return [NavItem(entry.label, url, url == active_url) for entry, url in allowed]
