"""Forms of the invitation pages: the list's filters, inviting people after one meeting, and the bulk run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from ehcp.forms import child_by_reference, child_reference_field
from ehcp.models import AnnualReview, Child
from feedback import access
from feedback.models import Audience, Delivery, FeedbackForm, MeetingKind
from feedback.selectors import forms as form_selectors
from feedback.selectors import invitations as selectors
from feedback.services.invitations import VALID_DAYS_DEFAULT, VALID_DAYS_MAX, Recipient, contact_clean
from qaf.access import user_access
from qaf.fields import GovukDateField
from qaf.forms import govuk_errors, govuk_errors_for, model_choice_field, offer_agencies
from qaf.models import Agency, User

PROFESSIONAL_ROWS = 4
DELIVERY_CHOICES = [
    (Delivery.EMAIL.value, "Email"),
    (Delivery.SMS.value, "Text message"),
    (Delivery.HANDOUT.value, "Printed handout with a QR code"),
]
NOT_ASKED = "none"
MEETING_CHOICES = [
    (kind.value, kind.label) for kind in (MeetingKind.ANNUAL_REVIEW, MeetingKind.PLANNING, MeetingKind.OTHER)
]


DEFAULT_FORM_CHOICE = "The default form for this kind of meeting"


def _form_field(label: str, audience: str, help_text: str) -> forms.ModelChoiceField:
    """An optional choice of another approved form for one audience; left empty, the default form is used."""
    who = Audience(audience).label.lower()
    return forms.ModelChoiceField(
        label=label,
        queryset=FeedbackForm.objects.none(),
        required=False,
        empty_label=DEFAULT_FORM_CHOICE,
        help_text=help_text,
        error_messages={"invalid_choice": f"Choose a feedback form for {who} from the list"},
    )


def _set_form_choices(form: forms.Form, user: User, fields: Mapping[str, str]) -> None:
    """Offer each form field (name → audience) the approved, unretired forms of the user's partnership for its
    audience."""
    partnership_id = user_access(user).partnership_id
    for name, audience in fields.items():
        model_choice_field(form, name).queryset = (
            form_selectors.invitable_forms(partnership_id, audience)
            if partnership_id
            else FeedbackForm.objects.none()
        )


def _delivery_field(whom: str, not_asked: str, *, help_text: str = "") -> forms.ChoiceField:
    """How to ask one person at the meeting (`whom`, like "the parent or carer") for feedback, or the choice
    (labelled `not_asked`) not to ask them."""
    return forms.ChoiceField(
        label=f"How should we ask {whom}?",
        help_text=help_text,
        choices=[*DELIVERY_CHOICES, (NOT_ASKED, not_asked)],
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose how to ask {whom}, or choose not to ask them"},
    )


def _contact_field(label: str, help_text: str = "Leave blank for a printed handout.") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=254,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


@govuk_errors_for(
    review=(
        "the annual review",
        {"invalid": "The annual review was not found. Start again from the child's page."},
    ),
    meeting_kind="what kind of meeting it was",
    agency="the agency that held the meeting",
    case_reference="the child's case reference",
    parent_delivery="how to ask the parent or carer",
    parent_contact="the parent or carer's email address or mobile number",
    young_person_delivery="how to ask the child or young person",
    young_person_contact="the child or young person's email address or mobile number",
)
class InvitationForm(forms.Form):
    """Inviting the people at one meeting: a parent or carer, the young person, and up to four professionals."""

    review = forms.IntegerField(required=False, widget=forms.HiddenInput)
    meeting_kind = forms.ChoiceField(
        label="What kind of meeting was it?", choices=MEETING_CHOICES, widget=forms.RadioSelect
    )
    meeting_on = GovukDateField(
        label="Date of the meeting",
        label_for_errors="the date of the meeting",
        help_text="For example, 14 3 2026",
    )
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label="Agency that held the meeting", queryset=None
    )
    case_reference = child_reference_field(
        "So you can find these invitations again. It is never shown with the answers."
    )
    valid_days = forms.IntegerField(
        label="How many days the links work",
        help_text=f"Between 1 and {VALID_DAYS_MAX} days.",
        initial=VALID_DAYS_DEFAULT,
        min_value=1,
        max_value=VALID_DAYS_MAX,
        error_messages={
            "required": "Enter how many days the links work",
            "invalid": "Enter a whole number of days",
            "min_value": f"Enter a number of days between 1 and {VALID_DAYS_MAX}",
            "max_value": f"Enter a number of days between 1 and {VALID_DAYS_MAX}",
        },
    )
    parent_delivery = _delivery_field("the parent or carer", "Do not ask a parent or carer")
    parent_contact = _contact_field("Parent or carer's email address or mobile number")
    parent_form = _form_field(
        "Feedback form for the parent or carer (optional)",
        Audience.PARENT_CARER,
        "Only change this if the meeting needs a different form.",
    )
    young_person_delivery = _delivery_field(
        "the child or young person",
        "Do not ask the child or young person",
        help_text="They get the easy-read form, with pictures.",
    )
    young_person_contact = _contact_field("Child or young person's email address or mobile number")
    young_person_form = _form_field(
        "Feedback form for the child or young person (optional)",
        Audience.YOUNG_PERSON,
        "Only change this if the meeting needs a different form.",
    )
    professional_form = _form_field(
        "Feedback form for the professionals (optional)",
        Audience.PROFESSIONAL,
        "Only change this if the meeting needs a different form.",
    )

    FORM_FIELDS = {
        "parent_form": Audience.PARENT_CARER,
        "young_person_form": Audience.YOUNG_PERSON,
        "professional_form": Audience.PROFESSIONAL,
    }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        offer_agencies(model_choice_field(self, "agency"), access.invitations.inviting_agencies(user))
        _set_form_choices(self, user, self.FORM_FIELDS)
        for number in range(1, PROFESSIONAL_ROWS + 1):
            self.fields[f"professional_{number}_delivery"] = forms.ChoiceField(
                label="How to send it", choices=DELIVERY_CHOICES, initial=Delivery.EMAIL
            )
            self.fields[f"professional_{number}_contact"] = _contact_field(
                "Email address or mobile number", help_text="Not needed for a printed handout."
            )
            govuk_errors(
                self.fields[f"professional_{number}_delivery"], f"how to send it to professional {number}"
            )
            govuk_errors(
                self.fields[f"professional_{number}_contact"],
                f"the email address or mobile number of professional {number}",
            )
        self.recipients: list[Recipient] = []
        self.child: Child | None = None
        self.review_obj: AnnualReview | None = None

    def professional_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"professional_{n}_delivery"], self[f"professional_{n}_contact"])
            for n in range(1, PROFESSIONAL_ROWS + 1)
        ]

    def clean_case_reference(self):
        return child_by_reference(self.user, self.cleaned_data["case_reference"])

    def _recipient(
        self, audience: str, delivery_name: str, contact_name: str, form_name: str, *, optional_row: bool
    ) -> None:
        delivery = self.cleaned_data.get(delivery_name)
        contact = self.cleaned_data.get(contact_name, "")
        picked = self.cleaned_data.get(form_name)
        if not delivery or delivery == NOT_ASKED:
            return
        if optional_row and not contact.strip() and delivery != Delivery.HANDOUT:
            return  # a blank professional row
        try:
            cleaned = contact_clean(delivery=delivery, contact=contact)
        except ValidationError as error:
            self.add_error(contact_name, error)
            return
        self.recipients.append(
            Recipient(
                audience=audience, delivery=delivery, contact=cleaned, form_id=picked.pk if picked else None
            )
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("review"):
            self.review_obj = selectors.review_for_invitation(self.user, data["review"])
            if self.review_obj is None:
                raise ValidationError("The annual review was not found. Start again from the child's page.")
        self.child = data.get("case_reference")
        self._recipient(
            Audience.PARENT_CARER, "parent_delivery", "parent_contact", "parent_form", optional_row=False
        )
        self._recipient(
            Audience.YOUNG_PERSON,
            "young_person_delivery",
            "young_person_contact",
            "young_person_form",
            optional_row=False,
        )
        for number in range(1, PROFESSIONAL_ROWS + 1):
            self._recipient(
                Audience.PROFESSIONAL,
                f"professional_{number}_delivery",
                f"professional_{number}_contact",
                "professional_form",
                optional_row=True,
            )
        if not self.errors and not self.recipients:
            raise ValidationError("Choose at least one person to ask for feedback")
        return data


@govuk_errors_for(agency="the agency that held the meetings")
class BulkInvitationForm(forms.Form):
    """Handouts for every annual review held between two dates that has no invitation yet."""

    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label="Agency that held the meetings", queryset=None
    )
    meeting_from = GovukDateField(label="Meetings on or after", label_for_errors="the first meeting date")
    meeting_to = GovukDateField(label="Meetings on or before", label_for_errors="the last meeting date")
    parent_form = _form_field(
        "Feedback form for parents and carers (optional)",
        Audience.PARENT_CARER,
        "Leave this to use the default form after an annual review.",
    )
    young_person_form = _form_field(
        "Feedback form for children and young people (optional)",
        Audience.YOUNG_PERSON,
        "Leave this to use the default form after an annual review.",
    )

    FORM_FIELDS = {"parent_form": Audience.PARENT_CARER, "young_person_form": Audience.YOUNG_PERSON}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        offer_agencies(model_choice_field(self, "agency"), access.invitations.inviting_agencies(user))
        _set_form_choices(self, user, self.FORM_FIELDS)

    def form_ids(self) -> dict[str, int | None]:
        """The form picked for each audience (its id), or None for the default."""
        return {
            audience: (self.cleaned_data[name].pk if self.cleaned_data.get(name) else None)
            for name, audience in self.FORM_FIELDS.items()
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("meeting_from"), data.get("meeting_to")
        if start and end and end < start:
            self.add_error("meeting_to", "The last meeting date must be the same as or after the first")
        return data
