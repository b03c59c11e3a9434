"""Forms of reopening an audit, the Level 3 panel and the Level 4 case review record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from qaf.access import WORKING_ROLES
from qaf.fields import GovukDateField
from qaf.forms import choice_field, govuk_errors_for, model_choice_field, textarea_field
from qaf.models import Membership, Role, User


def _blank(label: str, choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


@govuk_errors_for(reason="the reason for reopening the audit")
class ReopenForm(forms.Form):
    reason = textarea_field(
        "Why are you reopening this audit?",
        help_text="The auditors will see this reason, and it is kept in the audit's history.",
        max_length=2000,
    )


@govuk_errors_for(member="the person who joins the panel")
class PanelMemberForm(forms.Form):
    """Choose a person and the agency they represent, as one choice: "Name, Agency"."""

    member = forms.ChoiceField(
        label="Add a panel member", help_text="Who joins the panel, and for which agency."
    )

    def __init__(
        self, *args: Any, partnership_id: int, exclude_user_ids: Iterable[int] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        rows = (
            Membership.objects.filter(
                agency__partnership_id=partnership_id,
                agency__is_active=True,
                user__is_active=True,
                user__partnership_id=partnership_id,
                role__in=WORKING_ROLES,
            )
            .exclude(user_id__in=exclude_user_ids)
            .select_related("user", "agency")
            .order_by("agency__name", "user__last_name", "user__first_name", "user_id")
        )
        choices: dict[str, str] = {}
        for row in rows:
            choices.setdefault(
                f"{row.user_id}:{row.agency_id}", f"{row.user.display_name}, {row.agency.name}"
            )
        choice_field(self, "member").choices = _blank("Choose a person", list(choices.items()))

    def clean_member(self) -> tuple[int, int]:
        value = self.cleaned_data["member"]
        user_id, agency_id = value.split(":")
        return int(user_id), int(agency_id)


@govuk_errors_for(lead_board_member="the lead board member")
class CaseReviewSetupForm(forms.Form):
    lead_board_member = UserChoiceField(
        label="Lead board member",
        queryset=None,
        empty_label="Choose a board member",
        help_text="They will see this audit and this child's record, and nothing else at child level.",
    )

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        board = Membership.objects.filter(
            role=Role.BOARD_MEMBER, agency__partnership_id=partnership_id
        ).values("user_id")
        model_choice_field(self, "lead_board_member").queryset = User.objects.filter(
            pk__in=board, partnership_id=partnership_id, is_active=True
        ).order_by("last_name", "first_name", "pk")


@govuk_errors_for(
    consent_given_by="the role of the person who gave consent",
    consent_how="the way consent was given",
)
class CaseReviewForm(forms.Form):
    consent_given_by = forms.CharField(
        label="Who gave consent",
        help_text="Their role, for example parent, carer or the young person. Do not enter a name.",
        required=False,
        max_length=200,
    )
    consent_given_on = GovukDateField(
        label="When consent was given", required=False, label_for_errors="the date consent was given"
    )
    consent_how = forms.CharField(
        label="How consent was given",
        help_text="For example, in writing, by email, or verbally at a meeting.",
        required=False,
        max_length=200,
    )
    met_on = GovukDateField(
        label="Date of the meeting with the child or young person and family",
        required=False,
        label_for_errors="the date of the meeting",
    )
    child_views = textarea_field("The child or young person's views")
    ambitions = textarea_field("Their ambitions")
    barriers = textarea_field("The barriers they and their family see")
    family_views = textarea_field("The parent or carer's views")

    CONSENT = ("consent_given_by", "consent_given_on", "consent_how")
    MEETING = ("met_on", "child_views", "ambitions", "barriers", "family_views")
