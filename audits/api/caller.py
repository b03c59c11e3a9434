"""The signed-in user behind an audits API call."""

from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.request import Request

from qaf.models import Partnership, User


def caller(request: Request) -> User:
    """The user making the call. Every audits endpoint requires IsAuthenticated, so an anonymous call is
    refused before a view runs; should one get through, it is answered as not signed in (401)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


def caller_partnership(request: Request, refused: str) -> Partnership:
    """The caller's partnership, for a write that creates something in it; 403 with `refused` for a caller
    without one (who may not make such writes anyway)."""
    partnership = caller(request).partnership
    if partnership is None:
        raise PermissionDenied(refused)
    return partnership
