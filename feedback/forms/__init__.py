"""The feedback app's forms, one module per group of pages."""

from __future__ import annotations

from typing import Any

from django import forms


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field `name`, which is a model choice field (one or several): its queryset is set per user."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, which is a choice field: its choices are set per form."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field
