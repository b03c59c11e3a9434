"""Form fields rendered as GOV.UK Design System components.

`GovukDateField` is the GOV.UK date input (day, month, year boxes), which the Design System prefers to
native date pickers. Templates render every field through templates/includes/field.html.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError


class DateInputWidget(forms.MultiWidget):
    template_name = "includes/widgets/date_input.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], ("Day", "Month", "Year"), strict=True):
            subwidget["label"] = label
        return context


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, with the Design System's error messages."""

    widget = DateInputWidget

    def __init__(self, *, label_for_errors: str = "the date", **kwargs):
        self.label_for_errors = label_for_errors
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        said = self.label_for_errors[:1].upper() + self.label_for_errors[1:]
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{said} must include a {' and '.join(missing)}")
        try:
            number_year = int(year)
            if number_year < 1900 or number_year > 2100 or len(year) != 4:
                raise ValueError
            return dt.date(number_year, int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{said} must be a real date") from exc

    def clean(self, value):
        if self.required and (not value or not any(value)):
            raise ValidationError(f"Enter {self.label_for_errors}", code="required")
        return super().clean(value)


class YesNoField(forms.TypedChoiceField):
    """A yes/no question as GOV.UK radios, giving True/False (or None when optional and unanswered)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("yes", "Yes"), ("no", "No")])
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault("empty_value", None)
        super().__init__(coerce=lambda v: v == "yes", **kwargs)

    def prepare_value(self, value):
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value
