"""Forms of the feedback response pages: the list's filters and tagging a free-text answer with themes."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from feedback import access
from feedback.forms.complaints import _ActiveMixin, _blank
from feedback.models import Audience, FeedbackAnswer, MeetingKind, ResponseSource
from feedback.selectors.responses import FREE_TEXT_CHOICES, ResponseFilters
from qaf.access import user_access
from qaf.forms import govuk_errors_for
from qaf.models import Term, Theme, User


def _partnership_themes(user: User):
    return Theme.objects.filter(partnership_id=user_access(user).partnership_id)


@govuk_errors_for(
    form="a form from the list",
    audience="who the responses are from",
    agency="an agency from the list",
    term="a term from the list",
    source="how the responses came",
    meeting_kind="a meeting from the list",
    free_text="whether the responses have free text",
    theme="a theme from the list",
)
class ResponseFilterForm(_ActiveMixin, forms.Form):
    form = forms.ModelChoiceField(label="Form", queryset=None, required=False, empty_label="Any form")
    audience = forms.ChoiceField(label="From", required=False, choices=_blank("Anyone", Audience.choices))
    agency = forms.ModelChoiceField(label="Agency", queryset=None, required=False, empty_label="Any agency")
    term = forms.ModelChoiceField(label="Term", queryset=None, required=False, empty_label="Any term")
    source = forms.ChoiceField(
        label="Came through", required=False, choices=_blank("Either", ResponseSource.choices)
    )
    meeting_kind = forms.ChoiceField(
        label="Meeting", required=False, choices=_blank("Any meeting", MeetingKind.choices)
    )
    free_text = forms.ChoiceField(
        label="Free text", required=False, choices=_blank("With or without", FREE_TEXT_CHOICES)
    )
    theme = forms.ModelChoiceField(label="Theme", queryset=None, required=False, empty_label="Any theme")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        partnership_id = user_access(user).partnership_id
        self.fields["form"].queryset = access.forms.visible(user)
        self.fields["agency"].queryset = access.complaints.filter_agencies(user)
        self.fields["term"].queryset = Term.objects.filter(
            academic_year__partnership_id=partnership_id
        ).select_related("academic_year")
        self.fields["theme"].queryset = _partnership_themes(user).filter(is_active=True)

    def filters(self) -> ResponseFilters:
        """The chosen filters; an invalid value (a stale id) is ignored with the rest kept."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def pk(name: str) -> int | None:
            value = data.get(name)
            return value.pk if value else None

        return ResponseFilters(
            form_id=pk("form"),
            audience=data.get("audience") or "",
            agency_id=pk("agency"),
            term_id=pk("term"),
            source=data.get("source") or "",
            meeting_kind=data.get("meeting_kind") or "",
            free_text=data.get("free_text") or "",
            theme_id=pk("theme"),
        )


@govuk_errors_for(themes="themes from the list")
class AnswerTagForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        help_text="Choose every theme the answer raises. Choose none if it raises no theme.",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user: User, answer: FeedbackAnswer, **kwargs):
        super().__init__(*args, **kwargs)
        # Active themes, and any retired one the answer already carries (so saving keeps it when still ticked).
        current = answer.themes.values("pk")
        self.fields["themes"].queryset = _partnership_themes(user).filter(
            Q(is_active=True) | Q(pk__in=current)
        )


@govuk_errors_for(half="a half-year from the list")
class HalfYearForm(forms.Form):
    """The half-year of the board summary: the one in progress and the five before it."""

    half = forms.ChoiceField(label="Half-year", required=False)

    def __init__(self, *args, halves: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["half"].choices = [(half.key, half.label) for half in halves]
