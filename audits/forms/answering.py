"""Forms of the audit form: one section's answers, and the summary (strengths, themes, grade overrides).

They only parse; the rules (scale values, reasons for overrides ...) live in audits/services/answering.py,
whose ValidationErrors are keyed by these forms' field names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms

from audits.grading import NOT_APPLICABLE
from audits.models import Audit, AuditToolVersion, Grade
from audits.selectors.answering import NOT_APPLICABLE_LABEL, QuestionRow, SectionProgress
from qaf.forms import (
    choice_field,
    govuk_errors,
    govuk_errors_for,
    model_choice_field,
    textarea_field,
    themes_field,
)
from qaf.models import Theme

EVIDENCE_MAX_LENGTH = 10_000


class _TwoFieldsARow(forms.Form):
    """A form with two fields for each of its rows (a question's answer and evidence, a section's grade and the
    reason for it), named by `pair_names` with the row's id in place of {}."""

    pair_names: tuple[str, str]

    def pair(self, key: int) -> tuple[str, str]:
        """The names of the row's two fields."""
        first, second = self.pair_names
        return first.format(key), second.format(key)

    def bound_pair(self, key: int) -> tuple[forms.BoundField, forms.BoundField]:
        first, second = self.pair(key)
        return self[first], self[second]

    def cleaned_pair(self, key: int) -> tuple[str, str]:
        first, second = self.pair(key)
        return self.cleaned_data[first], self.cleaned_data[second]


class SectionAnswersForm(_TwoFieldsARow):
    """The answers to one section: `answer_<question id>` (a scale value or "na") and `evidence_<question id>`."""

    pair_names = ("answer_{}", "evidence_{}")

    def __init__(self, *args: Any, version: AuditToolVersion, rows: list[QuestionRow], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                **{f"answer_{r.question.pk}": r.value for r in rows},
                **{f"evidence_{r.question.pk}": r.evidence for r in rows},
            },
        )
        super().__init__(*args, **kwargs)
        self.rows = rows
        scale = [(str(o["value"]), str(o["label"])) for o in version.scale]
        for row in rows:
            question = row.question
            choices = scale + (
                [(NOT_APPLICABLE, NOT_APPLICABLE_LABEL)] if question.allow_not_applicable else []
            )
            self.fields[f"answer_{question.pk}"] = forms.ChoiceField(
                label=f"{row.number}. {question.text}",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose an answer from the tool's answer scale."},
            )
            self.fields[f"evidence_{question.pk}"] = govuk_errors(
                textarea_field(
                    f"Evidence and notes for question {row.number}", max_length=EVIDENCE_MAX_LENGTH
                ),
                f"the evidence and notes for question {row.number}",
            )

    def question_fields(self) -> Iterator[tuple[QuestionRow, forms.BoundField, forms.BoundField]]:
        for row in self.rows:
            yield row, *self.bound_pair(row.question.pk)

    def answers(self) -> dict[int, tuple[str, str]]:
        """{question id: (value, evidence)} for the service."""
        return {row.question.pk: self.cleaned_pair(row.question.pk) for row in self.rows}


def _grade_choices(computed: str) -> list[tuple[str, str]]:
    computed_label = Grade(computed).label if computed else "none yet"
    return [("", f"Use the computed grade ({computed_label})"), *Grade.choices]


@govuk_errors_for(themes="themes from the list", override_grade="the overall grade from the list")
class AuditSummaryForm(_TwoFieldsARow):
    """Strengths, areas for development, themes, and the grade overrides (per section and overall)."""

    pair_names = ("section_{}_grade", "section_{}_reason")

    strengths = textarea_field("Strengths")
    areas_for_development = textarea_field("Areas for development")
    themes = themes_field(help_text="Select all that apply.")
    override_grade = forms.ChoiceField(label="Overall grade", required=False)
    override_reason = textarea_field(
        "Reason for overriding the overall grade",
        help_text="Needed only when you choose a grade other than the computed one.",
    )

    def __init__(
        self, *args: Any, audit: Audit, progress: list[SectionProgress], theme_ids: list[int], **kwargs: Any
    ) -> None:
        results = {p.section.pk: p.result for p in progress}
        initial = {
            "strengths": audit.strengths,
            "areas_for_development": audit.areas_for_development,
            "themes": theme_ids,
            "override_grade": audit.override_grade,
            "override_reason": audit.override_reason,
        }
        for section_id, result in results.items():
            initial[f"section_{section_id}_grade"] = result.override_grade if result else ""
            initial[f"section_{section_id}_reason"] = result.override_reason if result else ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.progress = progress
        model_choice_field(self, "themes").queryset = Theme.objects.filter(
            partnership_id=audit.partnership_id
        ).filter(is_active=True) | Theme.objects.filter(pk__in=theme_ids)
        choice_field(self, "override_grade").choices = _grade_choices(audit.computed_grade)
        for item in progress:
            section = item.section
            computed = item.result.computed_grade if item.result else ""
            self.fields[f"section_{section.pk}_grade"] = govuk_errors(
                forms.ChoiceField(
                    label=f"Grade for {section}", choices=_grade_choices(computed), required=False
                ),
                f"the grade for {section} from the list",
            )
            self.fields[f"section_{section.pk}_reason"] = textarea_field(
                f"Reason for overriding the grade for {section}"
            )

    def section_fields(self) -> Iterator[tuple[SectionProgress, forms.BoundField, forms.BoundField]]:
        for item in self.progress:
            yield item, *self.bound_pair(item.section.pk)

    def section_overrides(self) -> dict[int, tuple[str, str]]:
        return {item.section.pk: self.cleaned_pair(item.section.pk) for item in self.progress}
