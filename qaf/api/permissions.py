"""Permission shapes the apps' API resources share.

- `PolicyPermission`: the caller may use the resource at all when the app's policy says `can(user, action)`
  (for example, board members see counts only, so the row lists refuse them with a 403 and a `message`).
- `ChecksWrites`: reads for whoever can see the row (the viewset's queryset decides, so an unseen row is a 404);
  a new row needs `may_create`, a change to a row `may_change` once the scoped lookup has found it (404 before 403).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from qaf.policies import Policy


class PolicyPermission(BasePermission):
    """Lets through the callers `policy.can(user, action)` allows; subclasses set `policy`, `action` and the
    403's `message`."""

    policy: ClassVar[Policy[Any]]
    action: ClassVar[str]

    def has_permission(self, request: Request, view: APIView) -> bool:
        return self.policy.can(request.user, self.action)


class ChecksWrites(BasePermission):
    """Reads for everyone the queryset shows rows to; creating needs `may_create(request, view)` and changing a
    row `may_change(request, obj)`, which subclasses define from their app's policy."""

    def may_create(self, request: Request, view: APIView) -> bool:
        raise NotImplementedError

    def may_change(self, request: Request, obj: Any) -> bool:
        raise NotImplementedError

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "action", None) != "create":
            return True
        return self.may_create(request, view)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return request.method in SAFE_METHODS or self.may_change(request, obj)
