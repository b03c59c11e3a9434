"""Small helpers every app's pages share: fetching the record a page acts on through its app's access policy,
putting a service's errors on a form, reading a confirmation POST, and saving a valid form (or making a
confirmed change) through a service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from qaf.access import partnership_for
from qaf.models import Partnership, User
from qaf.policies import AnyUser, Policy

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def permit(policy: Policy[Any], user: AnyUser, action: str, obj: T, refused: str = "") -> T:
    """`obj`, when the user may do `action` on it under `policy`; PermissionDenied otherwise, with `refused`
    (the reason the 403 page gives; without one it says what is true either way)."""
    if not policy.can(user, action, obj):
        raise PermissionDenied(refused)
    return obj


def require(policy: Policy[Any], user: AnyUser, action: str, refused: str = "") -> None:
    """PermissionDenied with `refused` unless the user may do `action` under `policy`, an action about no
    record in particular (see the list, log a complaint)."""
    permit(policy, user, action, None, refused)


def get_permitted(policy: Policy[M], user: AnyUser, pk: Any, action: str, refused: str = "") -> M:
    """The row a page acts on: Http404 when the user may not see it (`policy.get_for_user`, the same for absent
    and hidden), PermissionDenied with `refused` when they see it but may not do `action` on it."""
    return permit(policy, user, action, policy.get_for_user(user, pk), refused)


def own_partnership(user: User, refused: str = "") -> Partnership:
    """The partnership a page makes something in (a child, a plan, a tool, a form): the user's own.
    PermissionDenied with `refused` for a user who belongs to none (they have nothing to make it in)."""
    partnership = partnership_for(user)
    if partnership is None:
        raise PermissionDenied(refused)
    return partnership


def apply_errors(form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form's fields (renamed where the form calls them otherwise),
    or on the whole form when it names no field the form has."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            name = rename.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def and_list(words: list[str]) -> str:
    """Words joined as a sentence lists them: "Sam", "Sam and Jo", "Sam, Jo and Ali"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def posted(request: HttpRequest):
    """The POSTed data (even when empty, as a confirmation button sends), or None for a GET."""
    return request.POST if request.method == "POST" else None


def form_handled(
    request: HttpRequest,
    form,
    save: Callable[[dict[str, Any]], T],
    then: Callable[[T], HttpResponse],
    *,
    rename: dict[str, str] | None = None,
) -> HttpResponse | None:
    """Run `save(form.cleaned_data)` when a valid form was POSTed, and answer with `then(what save returned)`.
    Otherwise None, and the page shows the form again, with a service's ValidationError on the fields it names
    (`rename` as for `apply_errors`)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error, rename)
        return None
    return then(saved)


def form_saved(
    request: HttpRequest,
    form,
    save: Callable[[dict[str, Any]], T],
    message: str | Callable[[T], str],
    to: str | Callable[[T], str],
    *,
    rename: dict[str, str] | None = None,
) -> HttpResponse | None:
    """`form_handled` for the usual question page: once saved, say `message` (or `message(what save
    returned)`) and redirect to `to` (a URL or route name, or `to(what save returned)`)."""

    def then(saved: T) -> HttpResponse:
        messages.success(request, message(saved) if callable(message) else message)
        return redirect(to(saved) if callable(to) else to)

    return form_handled(request, form, save, then, rename=rename)


def status_for(form) -> int:
    """The status of a question page: 400 once the form has errors (the page is shown again), 200 otherwise."""
    return 400 if form.errors else 200


@dataclass(frozen=True)
class Confirmed:
    """What a confirmation page's POST came to: the redirect after the change was made, or the reason the
    service refused it (None on a GET)."""

    response: HttpResponse | None = None
    error: str | None = None


def change_confirmed(
    request: HttpRequest, act: Callable[[], object], message: str | Callable[[], str], to: str
) -> Confirmed:
    """On a POST, run `act()` (the service making the change the page asks to confirm): on success say
    `message` (or `message()`, once the change is made) and redirect to `to`; a ValidationError is the page's
    `error`, its messages in one line."""
    if request.method != "POST":
        return Confirmed()
    try:
        act()
    except ValidationError as exc:
        return Confirmed(error=" ".join(exc.messages))
    messages.success(request, message() if callable(message) else message)
    return Confirmed(response=redirect(to))
