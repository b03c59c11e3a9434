"""Forms of the themes pages' period, and the choice fields the action tracker's filters use."""

from __future__ import annotations

from typing import cast

from django import forms

from qaf import selectors as qaf_selectors
from qaf.forms import govuk_errors_for
from qaf.models import AcademicYear, Term, User


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Term) -> str:
        return f"{obj.get_name_display()} {obj.academic_year}"


@govuk_errors_for(year="an academic year from the list", term="a term from the list")
class ThemePeriodForm(forms.Form):
    """An academic year (the current one by default) and, for the workforce-development page, one term."""

    year: forms.ModelChoiceField[AcademicYear] = forms.ModelChoiceField(
        label="Academic year", queryset=None, required=False, empty_label=None
    )
    term = TermChoiceField(label="Term", queryset=None, required=False, empty_label="The whole year")

    def __init__(self, *args, user: User, with_term: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._year_field().queryset = qaf_selectors.academic_years_for(user)
        if with_term:
            cast(TermChoiceField, self.fields["term"]).queryset = qaf_selectors.terms_for_filter(user)
        else:
            del self.fields["term"]

    def _year_field(self) -> forms.ModelChoiceField[AcademicYear]:
        return cast("forms.ModelChoiceField[AcademicYear]", self.fields["year"])

    def chosen(self, today) -> tuple[AcademicYear | None, Term | None]:
        """The chosen year (or the one containing today, else the latest) and term (None: the whole year)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        term = data.get("term")
        year = term.academic_year if term else data.get("year")
        if year is None:
            choices = self._year_field().queryset
            years = list(choices) if choices is not None else []
            year = next((y for y in years if y.starts_on <= today <= y.ends_on), years[0] if years else None)
            if year is not None and not self.is_bound:
                self.initial["year"] = year.pk  # so the picker shows the year the page is about
        return year, term
