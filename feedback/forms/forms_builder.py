"""Forms of the feedback form pages: a new form, a draft version's texts, a question, a new version's note.

They only parse input; feedback.services.forms checks the rules (codes, answers and scores, pictures) and its
errors are shown on the field they name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django import forms
from django.core.exceptions import ValidationError

from feedback.models import (
    FORM_MEETING_KINDS,
    SCORED_KINDS,
    Audience,
    FeedbackForm,
    MeetingKind,
    QuestionKind,
)
from feedback.services import forms as services
from qaf.forms import choice_field, govuk_errors_for, textarea_field

OPTIONS_HELP = (
    "One answer a line. For a rating or yes/no question put its score after a |, like ‘Good | 3’ (higher is "
    "better), or ‘| none’ for an answer that should not count. Leave empty for the usual answers: Very good to "
    "Very poor for a rating, Yes and No for yes/no. Leave empty for free text."
)


def options_as_text(kind: str, options: Sequence[Mapping]) -> str:
    """A question's stored answers as the lines a person would type to give them again."""
    lines = []
    for option in options:
        if "score" in option and (option["score"] is not None or kind in SCORED_KINDS):
            score = services.NOT_SCORED if option["score"] is None else option["score"]
            lines.append(f"{option['label']} | {score}")
        else:
            lines.append(option["label"])
    return "\n".join(lines)


TITLE_LABEL = "Title people filling in the form see"
TITLE_HELP = (
    "The heading of the form's pages and the name in the browser tab. Write it for the people the form is for, "
    "like ‘Tell us about the meeting’. They never see the form's name, which is for staff."
)
MEETING_CHOICES = [(kind.value, kind.label) for kind in FORM_MEETING_KINDS]


@govuk_errors_for(
    name="the name of the form",
    audience="who the form is for",
    title="the heading respondents see",
    description="the description",
    meeting_kinds="the meetings the form is for",
)
class FeedbackFormCreateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For staff only: people filling in the form never see it. For example, Parent or carer: after "
        "a meeting.",
        error_messages={"required": "Enter the form's name"},
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the form is for"},
    )
    title = forms.CharField(
        label=TITLE_LABEL,
        max_length=200,
        help_text=TITLE_HELP,
        error_messages={"required": "Enter the title people filling in the form see"},
    )
    meeting_kinds = forms.MultipleChoiceField(
        label="Which meetings is it for? (optional)",
        choices=MEETING_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For forms for parents and carers, children and young people, or professionals. Staff surveys "
        "and the general form are not for a meeting.",
    )
    easy_read = forms.BooleanField(
        label="Easy read",
        required=False,
        help_text="Short sentences, large targets and pictures with text alternatives.",
    )
    description = textarea_field("Description", help_text="What the form is for, for staff.", max_length=2000)


@govuk_errors_for(
    meeting_kinds="the meetings the form is for",
    default_for="the meetings it should be the default for",
)
class FormMeetingsForm(forms.Form):
    """The meetings a form is for and those it is the default for (a staff survey: only whether it is the
    default staff survey; the general form: neither)."""

    meeting_kinds = forms.MultipleChoiceField(
        label="Which meetings is it for?",
        choices=MEETING_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The person inviting can still choose it after any meeting.",
    )
    default_for = forms.MultipleChoiceField(
        label="Which of them should it be the default for?",
        choices=MEETING_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Invitations after these meetings use this form unless the person inviting chooses another. It "
        "replaces the form that is the default now.",
        error_messages={"invalid_choice": services.NOT_FOR_DEFAULT},
    )

    def __init__(
        self, *args, feedback_form: FeedbackForm, defaults: dict[str, FeedbackForm], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if not feedback_form.takes_meeting_kinds:
            del self.fields["meeting_kinds"]
            self.fields["default_for"].label = "Is it the default staff survey?"
            self.fields[
                "default_for"
            ].help_text = "Invitations to a staff survey use the default one unless the person inviting chooses another."
            kinds = [(MeetingKind.SURVEY.value, "Make it the default staff survey")]
        else:
            kinds = MEETING_CHOICES
        choice_field(self, "default_for").choices = [
            (value, _with_current(label, defaults.get(value), feedback_form)) for value, label in kinds
        ]


def _with_current(label: str, current: FeedbackForm | None, feedback_form: FeedbackForm) -> str:
    if current is None:
        return f"{label} (no default yet)"
    if current.pk == feedback_form.pk:
        return f"{label} (this form is the default)"
    return f"{label} (now: {current.name})"


@govuk_errors_for(
    title="the heading respondents see",
    intro="the introduction",
    thank_you="the thank-you text",
    change_note="the note of what changed",
)
class VersionTextsForm(forms.Form):
    title = forms.CharField(
        label=TITLE_LABEL,
        max_length=200,
        help_text=TITLE_HELP,
        error_messages={"required": "Enter the title people filling in the form see"},
    )
    intro = textarea_field(
        "Introduction", help_text="Shown on the start page, before the questions.", max_length=2000
    )
    thank_you = textarea_field(
        "Thank-you text",
        help_text="Shown on the confirmation page after they send their answers.",
        max_length=2000,
    )
    change_note = textarea_field(
        "What changed from the previous version?",
        max_length=5000,
        help_text="Shown with the version, for staff.",
    )


@govuk_errors_for(
    code="the question's code",
    page="the page number",
    kind="what kind of question it is",
    text="the question",
    hint="the hint",
    options="the answers",
    image="the path of the picture",
    image_alt="what the picture shows",
)
class QuestionForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=60,
        help_text="A short name that stays the same across versions, so trends can follow the question. "
        "Letters, numbers and _ only, like meeting_overall.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "govuk_width": "20"}),
    )
    page = forms.CharField(
        label="Page",
        max_length=2,
        initial="1",
        help_text="Questions on the same page are asked together. Easy-read forms ask one a page.",
        widget=forms.TextInput(attrs={"govuk_width": "2"}),
    )
    kind = forms.ChoiceField(
        label="What kind of question is it?", choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label="Question", max_length=300)
    hint = forms.CharField(label="Hint", required=False, max_length=300, help_text="Optional.")
    options = textarea_field("Answers", max_length=3000, help_text=OPTIONS_HELP)
    required = forms.BooleanField(
        label="An answer is needed",
        required=False,
        initial=True,
        help_text="Keep free-text questions optional, so the form takes under two minutes.",
    )
    image = forms.CharField(
        label="Picture",
        required=False,
        max_length=200,
        help_text="Optional. The path of a picture in QAF's static files, like feedback/easy-read/meeting.svg.",
    )
    image_alt = forms.CharField(
        label="What the picture shows",
        required=False,
        max_length=200,
        help_text="Read out by screen readers, like ‘People sitting round a table at a meeting’.",
    )

    def __init__(self, *args, easy_read: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not easy_read:
            del self.fields["image"], self.fields["image_alt"]

    def clean_options(self) -> list[dict]:
        try:
            return services.options_from_text(self.cleaned_data.get("options", ""))
        except ValidationError as error:
            raise ValidationError(error.messages) from error


@govuk_errors_for(change_note="the note of what will change")
class ChangeNoteForm(forms.Form):
    change_note = textarea_field(
        "What will change in the new version?",
        max_length=5000,
        help_text="Shown with the version, for staff.",
    )
