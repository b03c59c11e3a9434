"""Forms for children, needs assessments, plans and reviews, and the filter to one child other lists use."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from ehcp import access, selectors
from ehcp.codes import AssessmentException, PlanEndReason, PrimaryNeed, ReviewDecision, SettingType
from ehcp.models import Child, PlanKind
from qaf.fields import GovukDateField, YesNoField
from qaf.forms import govuk_errors, govuk_errors_for, textarea_field
from qaf.models import Agency, User


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


def child_reference_field(help_text: str) -> forms.CharField:
    """Another record's optional "child's case reference" box; the form's `clean_case_reference` turns what is
    entered into the child with `child_by_reference`."""
    return forms.CharField(
        label="Child's case reference (optional)", help_text=help_text, max_length=40, required=False
    )


def child_by_reference(user: User, reference: str) -> Child | None:
    """The child with this case reference (in any case, spaces around it ignored) among those the user may see;
    None for a blank reference, and the field's error for a reference to no child they may see."""
    reference = reference.strip()
    if not reference:
        return None
    child = access.children.visible(user).filter(case_reference__iexact=reference).first()
    if child is None:
        raise forms.ValidationError("Enter the case reference of a child you can see")
    return child


class _CaseworkerField(forms.ModelChoiceField):
    """A choice of caseworker, each shown by their display name."""

    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ChildFilterField(forms.ModelChoiceField):
    """Another list's filter to one child (?child=<id>), as the child's page links to it: a hidden input in
    the filter form, shown by its case reference among the selected filters. Only a child the user may see
    is a valid choice (the form calls `limit_to(user)`), so the filter never names a child to someone who
    may not see it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Child")
        kwargs.setdefault("required", False)
        super().__init__(queryset=Child.objects.none(), **kwargs)
        govuk_errors(self, "a child from the list of children")

    def label_from_instance(self, obj: Child) -> str:
        return obj.case_reference

    def limit_to(self, user: User) -> None:
        self.queryset = access.children.visible(user)


@govuk_errors_for(
    case_reference="the case reference",
    initials="the child's initials",
    primary_need="the primary need",
    setting_type="the setting",
    agencies="the agencies involved from the list",
    caseworker="the responsible caseworker from the list",
    plan_end_reason="why the plan ceased",
)
class ChildForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference",
        max_length=40,
        help_text="The council's case reference, for example NCC-001234.",
    )
    initials = forms.CharField(
        label="Initials", max_length=4, help_text="Initials only. Do not enter a name."
    )
    date_of_birth = GovukDateField(
        label="Date of birth", label_for_errors="the date of birth", help_text="For example, 27 3 2015"
    )
    primary_need = forms.ChoiceField(
        label="Primary need", choices=_blank("Choose the primary need", PrimaryNeed.choices)
    )
    setting_type = forms.ChoiceField(
        label="Setting", choices=_blank("Choose the setting", SettingType.choices)
    )
    looked_after = forms.BooleanField(label="Looked after by the local authority", required=False)
    child_in_need = forms.BooleanField(label="Child in need", required=False)
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies involved",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Staff of these agencies will see this child's record.",
    )
    caseworker = _CaseworkerField(
        label="Responsible caseworker",
        queryset=User.objects.none(),
        required=False,
        empty_label="No caseworker yet",
    )
    plan_ended_on = GovukDateField(
        label="Plan ceased on", required=False, label_for_errors="the date the plan ceased"
    )
    plan_end_reason = forms.ChoiceField(
        label="Reason the plan ceased",
        required=False,
        choices=_blank("Plan has not ceased", PlanEndReason.choices),
    )

    def __init__(self, *args, partnership_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = cast(forms.ModelMultipleChoiceField, self.fields["agencies"])
        agencies.queryset = Agency.objects.filter(partnership_id=partnership_id, is_active=True)
        caseworker = cast(_CaseworkerField, self.fields["caseworker"])
        caseworker.queryset = selectors.caseworkers_for(partnership_id)

    def clean_initials(self) -> str:
        initials = self.cleaned_data["initials"].strip().upper().replace(".", "").replace(" ", "")
        if not initials.isalpha():
            raise forms.ValidationError("Initials must be letters only, for example JS")
        return initials

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        ended, reason = self.cleaned_data.get("plan_ended_on"), self.cleaned_data.get("plan_end_reason")
        if ended and not reason:
            self.add_error("plan_end_reason", "Choose why the plan ceased")
        if reason and not ended:
            self.add_error("plan_ended_on", "Enter the date the plan ceased")
        return data


@govuk_errors_for(
    will_assess="whether the local authority decided to assess",
    exception="the exception to the 20-week timescale from the list",
    exception_notes="the notes on the exception",
)
class AssessmentForm(forms.Form):
    requested_on = GovukDateField(
        label="Date of the request for an assessment",
        label_for_errors="the date of the request for an assessment",
    )
    decision_on = GovukDateField(
        label="Date of the decision whether to assess",
        required=False,
        label_for_errors="the date of the decision whether to assess",
        help_text="Due within 6 weeks of the request.",
    )
    will_assess = YesNoField(label="Did the local authority decide to assess?", required=False)
    exception = forms.ChoiceField(
        label="Exception to the 20-week timescale", required=False, choices=AssessmentException.choices
    )
    exception_notes = textarea_field("Notes on the exception", max_length=2000)
    final_plan_issued_on = GovukDateField(
        label="Date the final plan was issued",
        required=False,
        label_for_errors="the date the final plan was issued",
        help_text="Due within 20 weeks of the request. Recording it adds the final plan.",
    )


@govuk_errors_for(kind="which plan was issued")
class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which plan was issued?", choices=PlanKind.choices, widget=forms.RadioSelect
    )
    issued_on = GovukDateField(label="Date issued", label_for_errors="the date the plan was issued")


@govuk_errors_for(decision="the decision after the review")
class ReviewForm(forms.Form):
    due_on = GovukDateField(
        label="Date the review is due",
        required=False,
        label_for_errors="the date the review is due",
        help_text="Leave blank to use the statutory date: 12 months after the plan or last review (6 months for under-5s).",
    )
    meeting_on = GovukDateField(
        label="Date of the review meeting", required=False, label_for_errors="the date of the review meeting"
    )
    decision_on = GovukDateField(
        label="Date of the decision after the review",
        required=False,
        label_for_errors="the date of the decision after the review",
        help_text="Due within 4 weeks of the meeting.",
    )
    decision = forms.ChoiceField(
        label="Decision", required=False, choices=_blank("No decision yet", ReviewDecision.choices)
    )
    amended_plan_issued_on = GovukDateField(
        label="Date the amended plan was issued",
        required=False,
        label_for_errors="the date the amended plan was issued",
        help_text="Due within 8 weeks of a decision to amend.",
    )
