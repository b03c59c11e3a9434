"""Small helpers every app's pages share: putting a service's errors on a form, reading a confirmation POST,
and saving a valid form through a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

T = TypeVar("T")


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


def form_saved(
    request: HttpRequest,
    form,
    save: Callable[[dict[str, Any]], T],
    message: str,
    to: str | Callable[[T], str],
) -> HttpResponse | None:
    """Run `save(form.cleaned_data)` when a valid form was POSTed: on success say `message` and redirect to
    `to` (or to `to(what save returned)`). Otherwise None, and the page shows the form again, with a service's
    ValidationError on the fields it names."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, message)
    return redirect(to(saved) if callable(to) else to)
