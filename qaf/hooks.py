"""Links one app offers on another app's pages, without the second importing the first.

Dependencies point one way (feedback -> ehcp -> qaf): the children pages cannot import the feedback app, yet
after a review meeting they should offer "Ask for feedback on this meeting". Apps register a function here in
their AppConfig.ready(); the pages ask this registry. qaf imports no app.
"""

from __future__ import annotations

from collections.abc import Callable

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
