"""Forms of the complaint and compliment pages: list filters, logging and changing."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from ehcp.forms import child_by_reference, child_reference_field
from feedback import access
from feedback.models import Complaint, ComplaintCategory, ComplaintOutcome, ComplaintStage, ComplimentFrom
from qaf.fields import GovukDateField
from qaf.forms import govuk_errors_for, model_choice_field, offer_agencies, textarea_field, themes_field
from qaf.models import Agency, Theme, User


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


def _themes(user: User) -> QuerySet[Theme]:
    if user.partnership_id is None:
        return Theme.objects.none()
    return Theme.objects.filter(partnership_id=user.partnership_id, is_active=True)


@govuk_errors_for(
    agency="the agency the complaint is about",
    received_on="the date the complaint was received",
    category="the category of the complaint",
    stage="the stage of the complaint",
    summary="the summary of the complaint",
    case_reference="the child's case reference",
    response_working_days="the response timescale in working days",
    response_days_reason="the reason for a different timescale",
    themes="themes from the list",
)
class ComplaintForm(forms.Form):
    """Logging a complaint, and changing one (with the response fields)."""

    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label="Agency the complaint is about", queryset=None
    )
    received_on = GovukDateField(
        label="Date received", label_for_errors="the date received", help_text="For example, 14 12 2026"
    )
    category = forms.ChoiceField(
        label="Category", choices=ComplaintCategory.choices, widget=forms.RadioSelect
    )
    stage = forms.ChoiceField(label="Stage", choices=ComplaintStage.choices, widget=forms.RadioSelect)
    summary = textarea_field(
        "Summary",
        required=True,
        help_text="What the complaint is about. Do not include anyone's name.",
        max_length=4000,
    )
    case_reference = child_reference_field("If the complaint is about one child's case.")
    response_working_days = forms.IntegerField(
        label="Response timescale in working days (optional)",
        help_text="Leave blank for the partnership's usual timescale.",
        min_value=1,
        max_value=130,
        required=False,
    )
    response_days_reason = forms.CharField(
        label="Reason for a different timescale", max_length=500, required=False
    )
    themes = themes_field()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        offer_agencies(model_choice_field(self, "agency"), access.complaints.logging_agencies(user))
        model_choice_field(self, "themes").queryset = _themes(user)

    def clean_case_reference(self):
        return child_by_reference(self.user, self.cleaned_data["case_reference"])


@govuk_errors_for(
    responded_on="the date the complaint was responded to",
    outcome="the outcome from the list",
    lgsco_reference="the Ombudsman reference",
    lgsco_outcome="the Ombudsman outcome",
)
class ComplaintChangeForm(ComplaintForm):
    responded_on = GovukDateField(
        label="Date responded (optional)", label_for_errors="the date responded", required=False
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=_blank("Not decided yet", ComplaintOutcome.choices), required=False
    )
    lgsco_reference = forms.CharField(label="Ombudsman reference (optional)", max_length=40, required=False)
    lgsco_outcome = forms.CharField(label="Ombudsman outcome (optional)", max_length=500, required=False)
    remedy = textarea_field("Remedy (optional)")
    learning = textarea_field("Learning")

    def __init__(self, *args, user: User, complaint: Complaint, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # A complaint stays about its agency after that agency closes: offer it, or saving would move it.
        offer_agencies(
            model_choice_field(self, "agency"),
            access.complaints.logging_agencies(user) | Agency.objects.filter(pk=complaint.agency_id),
        )


@govuk_errors_for(
    agency="the agency that was complimented",
    received_on="the date the compliment was received",
    from_whom="who the compliment was from",
    about="what the compliment was about",
    summary="what they said",
    themes="themes from the list",
)
class ComplimentForm(forms.Form):
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label="Agency complimented", queryset=None
    )
    received_on = GovukDateField(label="Date received", label_for_errors="the date received")
    from_whom = forms.ChoiceField(
        label="Who was it from?", choices=ComplimentFrom.choices, widget=forms.RadioSelect
    )
    about = forms.CharField(
        label="What was it about?", help_text="The service, team or piece of work. No names.", max_length=300
    )
    summary = textarea_field("What did they say?", required=True, max_length=4000)
    themes = themes_field()

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        offer_agencies(model_choice_field(self, "agency"), access.compliments.logging_agencies(user))
        model_choice_field(self, "themes").queryset = _themes(user)
