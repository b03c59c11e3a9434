"""Forms of the escalation page: acknowledge and resolve."""

from __future__ import annotations

from django import forms

from qaf.forms import govuk_errors_for


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
