"""Forms of the advocacy return pages: the return itself (a grid of activity counts by
type and level, then the prose)."""

from __future__ import annotations

from django import forms

from feedback import access
from feedback.models import AdvocacyActivityType, AdvocacyLevel, AdvocacyReturn
from feedback.selectors.advocacy import GRID, cell_label
from feedback.services.advocacy import FIRST_YEAR, MAX_COUNT, NUMBER_FIELDS, TEXT_FIELDS, TEXT_MAX_LENGTH
from qaf.forms import govuk_errors_for, model_choice_field, offer_agencies, textarea_field
from qaf.models import Agency, User

QUARTERS = [
    (1, "Q1: January to March"),
    (2, "Q2: April to June"),
    (3, "Q3: July to September"),
    (4, "Q4: October to December"),
]


def cell_name(activity_type: str, level: str) -> str:
    return f"count_{activity_type}_{level}"


def _count_field(label: str, *, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": f"{label} must be a whole number, like 12",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be {MAX_COUNT:,} or fewer",
        },
    )


def _text(label: str, help_text: str) -> forms.CharField:
    return textarea_field(
        label,
        help_text=help_text,
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": f"{label} must be {TEXT_MAX_LENGTH:,} characters or fewer"},
    )


NO_NAMES = "Do not include anyone's name."


@govuk_errors_for(agency="the advocacy service the return is for", quarter="the quarter the return is for")
class AdvocacyReturnForm(forms.Form):
    """A new return (with its agency and quarter) or, given `advocacy_return`, the changes to a draft."""

    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(label="Advocacy service", queryset=None)
    year = forms.IntegerField(
        label="Year",
        help_text="For example, 2026",
        min_value=FIRST_YEAR,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the year of the quarter",
            "invalid": "The year must be a whole number, like 2026",
            "min_value": f"The year must be {FIRST_YEAR} or later",
        },
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        choices=QUARTERS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the quarter the return is for"},
    )
    outcomes = _text("Outcomes", "What changed for children, young people and families. " + NO_NAMES)
    feedback = _text(
        "Feedback received", "What families and young people said about the service. " + NO_NAMES
    )
    complaints_received = _count_field("Complaints received")
    compliments_received = _count_field("Compliments received")
    challenges = _text("Challenges", "What got in the way, for the service or for families. " + NO_NAMES)
    learning = _text(
        "Learning", "What the service and the partnership can learn from this quarter. " + NO_NAMES
    )

    def __init__(self, *args, user: User, advocacy_return: AdvocacyReturn | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if advocacy_return is None:
            offer_agencies(
                model_choice_field(self, "agency"),
                access.advocacy.writing_agencies(user),
                empty_label="Select an advocacy service",
            )
        else:
            for name in ("agency", "year", "quarter"):
                del self.fields[name]
        for activity_type, level in GRID:
            self.fields[cell_name(activity_type, level)] = _count_field(cell_label(activity_type, level))

    def counts(self) -> dict[tuple[str, str], int]:
        return {(t, level): self.cleaned_data.get(cell_name(t, level)) or 0 for t, level in GRID}

    def text_fields(self) -> dict:
        """The prose and the two counts, as the services take them (an empty count is 0)."""
        texts = {name: self.cleaned_data.get(name, "") for name in TEXT_FIELDS}
        return {**texts, **{name: self.cleaned_data.get(name) or 0 for name in NUMBER_FIELDS}}

    def grid(self) -> list[dict]:
        """The count fields as table rows: the activity type, then one bound field per level."""
        levels = AdvocacyLevel.values
        return [
            {"label": label, "cells": [self[cell_name(t, level)] for level in levels]}
            for t, label in AdvocacyActivityType.choices
        ]


def initial_for(advocacy_return: AdvocacyReturn, counts: dict[tuple[str, str], int]) -> dict:
    """The change form's starting values: the return's fields and its non-zero counts (0 shows as empty)."""
    initial = {name: getattr(advocacy_return, name) for name in TEXT_FIELDS + NUMBER_FIELDS}
    initial.update({cell_name(t, level): count for (t, level), count in counts.items() if count})
    return initial
