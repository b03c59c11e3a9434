"""Forms of the feedback response pages: the list's filters and tagging a free-text answer with themes."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from feedback.models import FeedbackAnswer
from qaf.access import user_access
from qaf.forms import choice_field, govuk_errors_for, model_choice_field, themes_field
from qaf.models import Theme, User


def _partnership_themes(user: User) -> QuerySet[Theme]:
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return Theme.objects.none()
    return Theme.objects.filter(partnership_id=partnership_id)


@govuk_errors_for(themes="themes from the list")
class AnswerTagForm(forms.Form):
    themes = themes_field(
        help_text="Choose every theme the answer raises. Choose none if it raises no theme."
    )

    def __init__(self, *args, user: User, answer: FeedbackAnswer, **kwargs):
        super().__init__(*args, **kwargs)
        # Active themes, and any retired one the answer already carries (so saving keeps it when still ticked).
        current = answer.themes.values("pk")
        model_choice_field(self, "themes").queryset = _partnership_themes(user).filter(
            Q(is_active=True) | Q(pk__in=current)
        )


@govuk_errors_for(half="a half-year from the list")
class HalfYearForm(forms.Form):
    """The half-year of the board summary: the one in progress and the five before it."""

    half = forms.ChoiceField(label="Half-year", required=False)

    def __init__(self, *args, halves: list, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "half").choices = [(half.key, half.label) for half in halves]
