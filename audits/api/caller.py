"""The caller's partnership, for an audits API write that creates something in it."""

from __future__ import annotations

from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from qaf.api.viewsets import signed_in
from qaf.models import Partnership


def caller_partnership(request: Request, refused: str) -> Partnership:
    """The caller's partnership, for a write that creates something in it; 403 with `refused` for a caller
    without one (who may not make such writes anyway)."""
    partnership = signed_in(request).partnership
    if partnership is None:
        raise PermissionDenied(refused)
    return partnership
