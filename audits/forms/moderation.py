"""Forms for moderating an audit, marking a re-audit, and filtering the moderation queue and the agreement
page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import dateformat, timezone

from audits.models import Audit, Grade
from audits.selectors.moderation import AgreementFilters, SectionToModerate
from qaf.forms import govuk_errors_for, model_choice_field, textarea_field
from qaf.models import AcademicYear, Term


def section_field_name(section_id: int) -> str:
    return f"section_{section_id}"


@govuk_errors_for(overall_grade="your overall grade")
class ModerationForm(forms.Form):
    """The moderator's grade for each section and overall. A section the auditor graded must be graded."""

    overall_grade = forms.ChoiceField(
        label="Your overall grade",
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your overall grade"},
    )
    notes = textarea_field(
        "Moderation notes",
        help_text="Why you agree or disagree with the auditor; what the auditor could learn from it.",
    )

    def __init__(
        self, *args: Any, sections: list[SectionToModerate], auditor_grade: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        section_fields = {}
        for item in sections:
            section = item.section
            if item.auditor_grade:
                hint = f"The auditor's grade: {Grade(item.auditor_grade).label}."
                if item.result and item.result.override_grade:
                    hint += f" The auditor changed the computed grade: {item.result.override_reason}"
            else:
                hint = "The auditor had nothing to grade in this section. You may leave it."
            section_fields[section_field_name(section.pk)] = forms.ChoiceField(
                label=f"Your grade for {section}",
                choices=Grade.choices,
                widget=forms.RadioSelect,
                required=bool(item.auditor_grade),
                help_text=hint,
                error_messages={
                    "required": f"Choose your grade for {section}",
                    "invalid_choice": f"Choose your grade for {section}",
                },
            )
        # Sections first, then the overall grade and notes, in the order the page shows them.
        self.fields = {**section_fields, **self.fields}
        self.fields["overall_grade"].help_text = (
            f"The auditor's overall grade: {Grade(auditor_grade).label}."
            if auditor_grade
            else "The auditor gave no overall grade."
        )

    def section_fields(self) -> list[forms.BoundField]:
        return [self[section_field_name(item.section.pk)] for item in self.sections]

    def section_grades(self) -> dict[int, str]:
        return {
            item.section.pk: self.cleaned_data.get(section_field_name(item.section.pk)) or ""
            for item in self.sections
        }


class ReauditChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Audit) -> str:
        grade = obj.get_overall_grade_display() or "no grade"
        submitted = (
            dateformat.format(timezone.localtime(obj.submitted_at), "j M Y") if obj.submitted_at else "never"
        )
        return f"Level {obj.level}, {obj.tool_version}, submitted {submitted} ({grade})"


@govuk_errors_for(earlier="the audit this one re-audits")
class ReauditLinkForm(forms.Form):
    earlier = ReauditChoiceField(
        label="Which audit does this one re-audit?",
        queryset=Audit.objects.none(),
        empty_label="Choose an audit",
        error_messages={"required": "Choose the audit this one re-audits"},
        help_text="Earlier audits of the same child, latest first.",
    )

    def __init__(self, *args: Any, candidates: QuerySet[Audit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "earlier").queryset = candidates


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Term) -> str:
        return str(obj)


@govuk_errors_for(academic_year="an academic year from the list", term="a term from the list")
class AgreementFilterForm(forms.Form):
    academic_year = forms.ModelChoiceField(
        label="Academic year", queryset=AcademicYear.objects.none(), required=False, empty_label="All years"
    )
    term = TermChoiceField(
        label="Term",
        queryset=Term.objects.none(),
        required=False,
        empty_label="All terms",
        help_text="A term narrows the academic year.",
    )

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partnership_id is None:
            return  # no partnership, no years or terms to choose from
        model_choice_field(self, "academic_year").queryset = AcademicYear.objects.filter(
            partnership_id=partnership_id
        )
        model_choice_field(self, "term").queryset = (
            Term.objects.filter(academic_year__partnership_id=partnership_id)
            .select_related("academic_year")
            .order_by("-starts_on")
        )

    def filters(self) -> AgreementFilters:
        data = self.cleaned_data if self.is_valid() else {}
        year, term = data.get("academic_year"), data.get("term")
        return AgreementFilters(academic_year_id=year.pk if year else None, term_id=term.pk if term else None)
