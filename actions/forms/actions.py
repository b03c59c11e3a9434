"""Forms for raising a remedial action and moving it through its workflow. They parse input only; the
services in actions.services.actions validate the rules and write."""

from __future__ import annotations

from typing import cast

from django import forms

from actions import access, sources
from actions.models import ActionPriority, ActionSource
from actions.services.actions import working_staff
from qaf.access import WORKING_ROLES
from qaf.fields import GovukDateField
from qaf.forms import govuk_errors_for, textarea_field, themes_field
from qaf.models import Agency, Membership, Theme, User

# The sources of an action raised outside an audit.
SOURCE_CHOICES = [(value, label) for value, label in ActionSource.choices if value != ActionSource.AUDIT]


def _worker_choices(memberships, *, with_agency: bool) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    rows = memberships.select_related("user", "agency").order_by(
        "agency__name", "user__first_name", "user__last_name", "user__username"
    )
    for membership in rows:
        key = f"{membership.agency_id}-{membership.user_id}"
        label = membership.user.display_name
        if with_agency:
            label = f"{label} ({membership.agency.name})"
        seen.setdefault(key, label)
    return [("", "Choose a person"), *seen.items()]


@govuk_errors_for(
    worker="who carries out the action",
    priority="the priority",
    themes="themes from the list",
)
class _ActionFieldsForm(forms.Form):
    worker = forms.ChoiceField(
        label="Who carries out the action",
        help_text="The worker responsible for the case. They and their team manager are told at once.",
        error_messages={"required": "Choose who carries out the action"},
    )
    what = textarea_field(
        "What needs to be done", required=True, error_messages={"required": "Enter what needs to be done"}
    )
    why = textarea_field(
        "Why it needs to be done",
        required=True,
        help_text="The finding the action answers.",
        error_messages={"required": "Enter why it needs to be done"},
    )
    due_on = GovukDateField(
        label="Due date",
        label_for_errors="the due date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the due date"},
    )
    priority = forms.ChoiceField(
        label="Priority",
        choices=ActionPriority.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the priority"},
    )
    themes = themes_field(label="Themes (optional)")

    def _set_themes(self, partnership_id: int | None) -> None:
        themes = cast("forms.ModelMultipleChoiceField[Theme]", self.fields["themes"])
        if partnership_id is None:
            themes.queryset = Theme.objects.none()
        else:
            themes.queryset = Theme.objects.filter(partnership_id=partnership_id, is_active=True)

    def _set_workers(self, choices: list[tuple[str, str]]) -> None:
        cast(forms.ChoiceField, self.fields["worker"]).choices = choices

    def worker_and_agency(self) -> tuple[User | None, Agency | None]:
        """The chosen person and the agency they were chosen in (the value is "agency id-user id")."""
        agency_id, _, user_id = self.cleaned_data["worker"].partition("-")
        user = User.objects.filter(pk=user_id).first() if user_id.isdigit() else None
        agency = Agency.objects.filter(pk=agency_id).first() if agency_id.isdigit() else None
        return user, agency


class SourceActionForm(_ActionFieldsForm):
    """Raise an action on the page of the record it comes from (an audit): the worker is one of the staff of
    the agency the record is about."""

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_workers(_worker_choices(working_staff(agency), with_agency=False))
        self._set_themes(agency.partnership_id)


@govuk_errors_for(source="where the action comes from", source_note="the activity the action comes from")
class GeneralActionForm(_ActionFieldsForm):
    """Raise an action from another QA activity: a dip sample, a complaint, feedback analysis, other."""

    source = forms.ChoiceField(
        label="Where does the action come from?",
        choices=SOURCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the action comes from"},
    )
    source_note = forms.CharField(
        label="Which activity",
        help_text="For example, the dip sample of spring term transport complaints, or a complaint reference.",
        max_length=200,
        required=False,
    )
    field_order = ["source", "source_note", "worker", "what", "why", "due_on", "priority", "themes"]

    def __init__(self, *args, user: User, source_object=None, **kwargs):
        """`source_object` is the record the action is raised from (access.actions.linked_source_get_for_user); one
        about an agency, such as a complaint, offers that agency's staff only."""
        super().__init__(*args, **kwargs)
        kind = sources.source_of(source_object) if source_object is not None else None
        source_agency = kind.agency_of(source_object) if kind is not None else None
        if source_agency is not None:
            self._set_workers(_worker_choices(working_staff(source_agency), with_agency=False))
            self.fields["worker"].help_text = (
                f"The worker in {source_agency.name} responsible for the case. "
                "They and their team manager are told at once."
            )
        else:
            staff = Membership.objects.filter(
                agency__in=access.actions.agencies_to_raise_in(user),
                role__in=WORKING_ROLES,
                user__is_active=True,
                user__partnership_id=user.partnership_id,
            )
            self._set_workers(_worker_choices(staff, with_agency=True))
            self.fields["worker"].help_text = (
                "The worker responsible for the case, in the agency that will carry out the action. "
                "They and their team manager are told at once."
            )
        self._set_themes(user.partnership_id)


class CompleteForm(forms.Form):
    evidence = textarea_field(
        "What was done",
        required=True,
        help_text="The evidence that the action is complete, for whoever verifies it: your team manager or, "
        "if you have none, an SQA officer.",
        error_messages={"required": "Enter what was done"},
    )


class VerifyForm(forms.Form):
    note = textarea_field("Note (optional)")


class CancelForm(forms.Form):
    reason = textarea_field(
        "Why is the action cancelled?",
        required=True,
        error_messages={"required": "Enter why the action is cancelled"},
    )
