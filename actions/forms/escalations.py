"""Forms of the escalation pages: the list's filters, acknowledge and resolve."""

from __future__ import annotations

from django import forms

from actions.models import EscalationStatus, EscalationTrigger
from ehcp.forms import ChildFilterField
from qaf import selectors
from qaf.forms import govuk_errors_for
from qaf.models import User


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


@govuk_errors_for(
    status="a status from the list", agency="an agency from the list", trigger="a reason from the list"
)
class EscalationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=_blank("Any status", EscalationStatus.choices)
    )
    agency = forms.ModelChoiceField(label="Agency", queryset=None, required=False, empty_label="Any agency")
    trigger = forms.ChoiceField(
        label="Reason", required=False, choices=_blank("Any reason", EscalationTrigger.choices)
    )
    child = ChildFilterField()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.agencies_for_filter(user)
        self.fields["child"].limit_to(user)

    def filters(self) -> dict:
        """The chosen filters as queryset lookups."""
        data = self.cleaned_data if self.is_valid() else {}
        lookups = {}
        if data.get("status"):
            lookups["status"] = data["status"]
        if data.get("agency"):
            lookups["agency_id"] = data["agency"].pk
        if data.get("trigger"):
            lookups["trigger"] = data["trigger"]
        if data.get("child"):
            lookups["child_id"] = data["child"].pk
        return lookups

    def active(self) -> list[tuple[str, str, str]]:
        """The filters in use as (field name, label, chosen value label)."""
        if not self.is_valid():
            return []
        chosen = []
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                text = field.label_from_instance(value)
            else:
                text = str(dict(field.choices).get(value, value))
            chosen.append((name, field.label, text))
        return chosen


@govuk_errors_for(note="the note")
class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, who is looking into it. It is kept in the escalation's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


@govuk_errors_for(resolution="the resolution")
class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="How was the escalation resolved?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,  # the service says what is missing, in the same words as the API would
    )
