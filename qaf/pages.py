"""Small helpers every app's pages share: putting a service's errors on a form, reading a confirmation POST,
and guarding the editing pages of a versioned template (audit tools, feedback forms)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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


def draft_view(
    *,
    load: Callable[[Any, int, int], Any],
    require_manage: Callable[[HttpRequest], None],
    frozen_template: str,
) -> Callable[[Callable], Callable]:
    """A decorator for the pages that edit one draft version of a versioned template. The wrapped view takes
    (request, version, **kwargs) and is reached as (request, pk, number, **kwargs): `load(user, pk, number)`
    finds the version (raising Http404 when the user may not see it), `require_manage(request)` raises
    PermissionDenied for someone who may not change it, and a version that is no longer a draft is answered
    with `frozen_template` (status 403), which says why and offers to make a new version."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int, number: int, **kwargs) -> HttpResponse:
            version = load(request.user, pk, number)
            require_manage(request)
            if not version.is_editable:
                return render(request, frozen_template, {"version": version}, status=403)
            return view(request, version, **kwargs)

        return wrapper

    return decorator
