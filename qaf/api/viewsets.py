"""What the apps' API viewsets share: rows scoped by an access policy, the signed-in caller, and writes through
a service answered with the row as stored.

- `PolicyScopedViewSet` (`ReadOnlyPolicyViewSet` with list and retrieve): `get_queryset` is the policy's
  `visible(user)` rows with the related rows the serializer reads, in a fixed order, so a row the caller may not
  see is a 404, as on the pages.
- `ServiceCreateMixin`, `ServiceUpdateMixin`: `create` and `update` check the body with the serializer, hand its
  data to the viewset's service call (`perform_service_create` / `perform_service_update`) and answer with the
  row it returns.
- `signed_in(request)`: the user behind a call that IsAuthenticated has let through.
- `documented(tag, list=..., retrieve=..., ...)`: a resource's OpenAPI tag and operation summaries, in one
  decorator.

The classes are described in comments, not docstrings: drf-spectacular takes the first docstring of a viewset's
classes as the description of its operations, and these describe no endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from qaf.models import User
from qaf.policies import Policy

ViewSetT = TypeVar("ViewSetT", bound=type)
# An operation's documentation: its summary, a (summary, description) pair, or drf-spectacular's extend_schema(...).
OperationDoc = str | tuple[str, str] | Callable[[Any], Any]


def _operation_schema(doc: OperationDoc) -> Callable[[Any], Any]:
    if isinstance(doc, str):
        return extend_schema(summary=doc)
    if isinstance(doc, tuple):
        summary, description = doc
        return extend_schema(summary=summary, description=description)
    return doc


def documented(tag: str, **operations: OperationDoc) -> Callable[[ViewSetT], ViewSetT]:
    """A class decorator documenting a resource's viewset in the OpenAPI schema: every operation under `tag`,
    and each one named (`list`, `retrieve`, `create`, `update`, ...) with its summary, a (summary, description)
    pair, or `extend_schema(...)` where it needs more (its request and responses)."""

    def decorate(viewset: ViewSetT) -> ViewSetT:
        tagged = extend_schema(tags=[tag])(viewset)
        views = {name: _operation_schema(doc) for name, doc in operations.items()}
        return extend_schema_view(**views)(tagged)

    return decorate


def signed_in(request: Request) -> User:
    """The user making the call. Every API endpoint but the token one requires IsAuthenticated, so an anonymous
    call is refused before a view runs; should one get through, it is answered as not signed in (401)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


# A viewset over the rows `policy.visible(user)` gives the caller. Subclasses set `policy` (an app's access policy),
# `ordering`, and where the serializer reads related rows, `select_related` and `prefetch_related` (names; a
# Prefetch with its own queryset is built afresh for each call, in the subclass's `get_queryset` on top of this
# one).
class PolicyScopedViewSet(viewsets.GenericViewSet):
    policy: ClassVar[Policy[Any]]
    ordering: ClassVar[tuple[str, ...]] = ()
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()

    def get_queryset(self) -> QuerySet[Any]:
        rows = self.policy.visible(self.request.user)
        if self.select_related:
            rows = rows.select_related(*self.select_related)
        if self.prefetch_related:
            rows = rows.prefetch_related(*self.prefetch_related)
        return rows.order_by(*self.ordering)


# List and retrieve the rows the caller may see.
class ReadOnlyPolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PolicyScopedViewSet):
    pass


# A viewset whose writes go through a service, never through the serializer, which only checks the body. The answer
# to a write is the row the service returns, as the viewset's serializer shows it (`service_response`).
class ServiceWriteViewSet(viewsets.GenericViewSet):
    def service_response(self, row: Any, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(row).data, status=code)


# `create` (POST): `perform_service_create(request, data)` calls the service with `data` (a copy of the validated
# body, free to change) and returns the new row.
class ServiceCreateMixin(ServiceWriteViewSet):
    def perform_service_create(self, request: Request, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = self.perform_service_create(request, dict(serializer.validated_data))
        return self.service_response(row, status.HTTP_201_CREATED)


# `update` (PUT) and `partial_update` (PATCH): `perform_service_update(request, row, data)` calls the service on the
# row the scoped lookup found, with `data` (a copy of the validated body), and returns the row as written.
class ServiceUpdateMixin(mixins.UpdateModelMixin, ServiceWriteViewSet):
    def perform_service_update(self, request: Request, row: Any, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        return self.service_response(
            self.perform_service_update(request, row, dict(serializer.validated_data))
        )
