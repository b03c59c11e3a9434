"""The one rate limit of the service: at most so many events per key in a window, counted in the cache.

Used for sign-in failures per username, general-form submissions per visitor and partnership, and misses of
feedback short codes per visitor. The count lives in the cache shared by the web processes (set CACHE_URL so that
several processes count together); the window runs from the first event counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The visitor's address. Behind the council's reverse proxy (BEHIND_TLS_PROXY) every request comes from the
    proxy, so the address the proxy appended last to X-Forwarded-For is used: the one part a visitor cannot
    forge."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip() or "unknown"
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class Limit:
    """At most `most` counted events per key in a window of `window_seconds` from the first one. `name` keeps
    one limit's counts apart from another's."""

    name: str
    most: int
    window_seconds: int

    def _key(self, *parts: object) -> str:
        return ":".join(["ratelimit", self.name, *(str(part) for part in parts)])

    def exceeded(self, *key: object) -> bool:
        """Have `most` events been counted for this key in the current window?"""
        return cache.get(self._key(*key), 0) >= self.most

    def count(self, *key: object) -> None:
        """Count one event for this key (starting its window if none is running)."""
        name = self._key(*key)
        cache.add(name, 0, self.window_seconds)
        try:
            cache.incr(name)
        except ValueError:  # the window ended between add and incr
            cache.set(name, 1, self.window_seconds)

    def reset(self, *key: object) -> None:
        """Forget the events counted for this key (a successful sign-in clears its failures)."""
        cache.delete(self._key(*key))

    # The same, keyed on the visitor's address and an optional scope (a partnership, ...).
    def exceeded_for(self, request: HttpRequest, scope: object = "") -> bool:
        return self.exceeded(scope, client_address(request))

    def count_for(self, request: HttpRequest, scope: object = "") -> None:
        self.count(scope, client_address(request))
