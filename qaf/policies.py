"""The one shape of every access policy, after Wagtail's permission policies.

Each app's `access.py` defines one `Policy` subclass per model and exports an instance of it by name (for
example `ehcp.access.children`, `audits.access.audits`). A policy answers three questions about a user:

- `visible(user)`: the rows they may see (a queryset, one row each);
- `can(user, action, obj=None)`: may they do `action` (one of the policy's fixed `actions`), on `obj` when the
  action is about one record; `can` dispatches to the policy's `can_<action>` method;
- `aggregate_scope(user)`: the rows their figures may count. Board members, for instance, count the whole
  partnership's audits on the home page but see none of them; by default this is `visible(user)`.

`get_for_user(user, pk)` fetches one visible row, with the same 404 for "does not exist" and "not yours".
Views, API viewsets, forms, navigation, template tags, hooks and reporting ask only these policies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from qaf.access import UserAccess, get_for_user_or_404, user_access
from qaf.models import User

M = TypeVar("M", bound=Model)

AnyUser = User | AnonymousUser


class Policy(Generic[M]):
    """Who may see and do what with one model.

    Subclasses set `model` and `actions`, implement `visible`, and define one `can_<action>(user, obj=None,
    **context)` method for every action besides "view" (whose default is "is `obj` among `visible(user)`").
    `detail_related` names the relations `get_for_user` selects with the row."""

    # Set on each subclass (a class attribute; `ClassVar` cannot hold the model's type variable).
    model: type[M]
    actions: ClassVar[frozenset[str]] = frozenset({"view"})
    detail_related: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        missing = [action for action in cls.actions if not callable(getattr(cls, f"can_{action}", None))]
        if missing:
            raise TypeError(f"{cls.__name__} lists actions without a can_<action> method: {sorted(missing)}")

    def visible(self, user: AnyUser) -> QuerySet[M]:
        """The rows of `model` the user may see."""
        raise NotImplementedError

    def aggregate_scope(self, user: AnyUser) -> QuerySet[M]:
        """The rows the user's figures may count (for counting only: never list them). By default the visible
        rows; a policy widens it where some people see figures over rows they may not open."""
        return self.visible(user)

    def partnership_rows(self, user: AnyUser) -> QuerySet[M]:
        """Every row of the user's partnership (none for a user outside every partnership), for models with a
        `partnership` field: where a policy's rules start, and what the figures of those who count the whole
        partnership count."""
        partnership_id = user_access(user).partnership_id
        if partnership_id is None:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(partnership_id=partnership_id)

    def partnership_rows_by_rule(
        self, user: AnyUser, rule: Callable[[AnyUser, UserAccess], Q]
    ) -> QuerySet[M]:
        """The rows of the user's partnership they see where an SQA officer sees every one: all of them for an
        SQA officer, those matching `rule(user, access)` for anyone else (called only for them), none for a
        user outside every partnership. The `visible` of most policies."""
        access = user_access(user)
        rows = self.partnership_rows(user)
        if access.is_sqa or access.partnership_id is None:
            return rows
        return rows.filter(rule(user, access))

    def can(self, user: AnyUser, action: str, obj: object | None = None, **context: Any) -> bool:
        """May the user do `action` (on `obj`, where the action is about one record)? `context` carries what
        an action needs besides the record (e.g. the level and agency of an audit to be scheduled).

        Raises ValueError for an action the policy does not know, so a misspelt action never reads as "no"."""
        if action not in self.actions:
            raise ValueError(
                f"{type(self).__name__} has no action {action!r}; it knows {sorted(self.actions)}"
            )
        return bool(getattr(self, f"can_{action}")(user, obj, **context))

    def can_view(self, user: AnyUser, obj: M | None = None, **context: Any) -> bool:
        """Is `obj` one of the rows the user may see? (Without a record: may they see any row at all.)"""
        rows = self.visible(user)
        return rows.exists() if obj is None else rows.filter(pk=obj.pk).exists()

    def get_for_user(self, user: AnyUser, pk: object) -> M:
        """The row with this primary key if the user may see it; Http404 otherwise, the same for a row that does
        not exist and one that is not theirs (and for a malformed key)."""
        rows = self.visible(user)
        if self.detail_related:
            rows = rows.select_related(*self.detail_related)
        return get_for_user_or_404(rows, pk=pk)
