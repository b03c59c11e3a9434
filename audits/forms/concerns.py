"""The form for raising a safeguarding concern on an audit (escalated at once: audits.services.escalations)."""

from __future__ import annotations

from django import forms

from qaf.forms import govuk_errors_for


@govuk_errors_for(description="the description of the safeguarding concern")
class ConcernForm(forms.Form):
    description = forms.CharField(
        label="Describe the safeguarding concern",
        help_text=(
            "The head of service of the agency is told at once. Their email does not include this description; "
            "they read it here after signing in."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        required=False,
    )
