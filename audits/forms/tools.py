"""Forms of the audit tool pages: a tool, a draft version's answer scale, a section, a question.

They only parse input; audits.services.tools checks the rules (weights, repeated codes, the scale) and its
errors are shown on the field they name.
"""

from __future__ import annotations

from django import forms

from audits.models import AuditLevel, ToolKind
from qaf.forms import govuk_errors_for, textarea_field

WEIGHT_HELP = (
    "How much it counts towards the grade, for example 1, 1.5 or 2. 0 records it without grading it."
)


def _weight_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        initial="1",
        max_length=8,
        help_text=WEIGHT_HELP,
        widget=forms.TextInput(attrs={"govuk_width": "4"}),
    )


@govuk_errors_for(
    name="the name of the tool",
    kind="what kind of tool it is",
    levels="the levels of audit the tool serves",
    description="the description",
)
class ToolForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, help_text="For example, Level 2 EHC plan audit.")
    kind = forms.ChoiceField(
        label="What kind of tool is it?", choices=ToolKind.choices, widget=forms.RadioSelect
    )
    levels = forms.MultipleChoiceField(
        label="Which levels of audit does it serve?",
        choices=[(str(value), label) for value, label in AuditLevel.choices],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    description = textarea_field("Description", max_length=5000, help_text="What it is for and who uses it.")


@govuk_errors_for(label="the answer's label", score="the answer's score")
class ScaleRowForm(forms.Form):
    label = forms.CharField(label="Label", required=False, max_length=60)
    score = forms.CharField(label="Score", required=False, max_length=4)

    def option(self) -> dict | None:
        """The row as a scale option, or None when left empty (empty rows are ignored)."""
        data = self.cleaned_data if self.is_valid() else {}
        label, score = (data.get("label") or "").strip(), (data.get("score") or "").strip()
        if not label and not score:
            return None
        return {"label": label, "score": score or None}


ScaleFormSet = forms.formset_factory(ScaleRowForm, extra=2, max_num=10, absolute_max=10)


@govuk_errors_for(change_note="the note of what changed")
class ChangeNoteForm(forms.Form):
    change_note = textarea_field(
        "What changed from the previous version?",
        max_length=5000,
        help_text="Shown with the version, so auditors know what is new.",
    )


@govuk_errors_for(
    code="the section code", title="the title of the section", weight="the weight of the section"
)
class SectionForm(forms.Form):
    code = forms.CharField(
        label="Section code",
        required=False,
        max_length=10,
        help_text="Optional. For a plan audit, the EHCP section: A, B, C ... K.",
        widget=forms.TextInput(attrs={"govuk_width": "4"}),
    )
    title = forms.CharField(label="Title", max_length=200)
    weight = _weight_field("Weight of the section")


@govuk_errors_for(text="the question", guidance="what good looks like", weight="the weight of the question")
class QuestionForm(forms.Form):
    text = textarea_field("Question", required=True, max_length=2000)
    guidance = textarea_field(
        "What good looks like", max_length=5000, help_text="Shown beside the question while auditing."
    )
    weight = _weight_field("Weight of the question")
    allow_not_applicable = forms.BooleanField(
        label="Auditors may answer ‘not applicable’", required=False, initial=True
    )
