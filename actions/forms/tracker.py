"""Forms of the action tracker's filters and of the themes pages' period."""

from __future__ import annotations

from django import forms

from actions.models import ActionSource, ActionStatus
from actions.selectors import tracker as selectors
from ehcp.forms import ChildFilterField
from qaf import selectors as qaf_selectors
from qaf.forms import govuk_errors_for
from qaf.models import AcademicYear, Term, User


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class _TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Term) -> str:
        return f"{obj.get_name_display()} {obj.academic_year}"


@govuk_errors_for(
    agency="an agency from the list",
    team="a team from the list",
    worker="a worker from the list",
    status="a status from the list",
    rag="a due date from the list",
    source="a source from the list",
    theme="a theme from the list",
    term="a term from the list",
    sort="a column of the table to sort by",
)
class ActionFilterForm(forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=None, required=False, empty_label="Any agency")
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="Any team")
    worker = _UserChoiceField(label="Worker", queryset=None, required=False, empty_label="Anyone")
    status = forms.ChoiceField(
        label="Status", required=False, choices=_blank("Any status", ActionStatus.choices)
    )
    rag = forms.ChoiceField(
        label="Due or overdue", required=False, choices=_blank("Any due date", selectors.RAG_CHOICES)
    )
    source = forms.ChoiceField(
        label="Source", required=False, choices=_blank("Any source", ActionSource.choices)
    )
    theme = forms.ModelChoiceField(label="Theme", queryset=None, required=False, empty_label="Any theme")
    term = _TermChoiceField(label="Due in term", queryset=None, required=False, empty_label="Any term")
    child = ChildFilterField()
    # Kept through "Apply filters" so the chosen order survives; not a filter, so never shown as a tag.
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in selectors.SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = qaf_selectors.agencies_for_filter(user)
        self.fields["team"].queryset = selectors.teams_for_filter(user)
        self.fields["worker"].queryset = selectors.workers_for_filter(user)
        self.fields["theme"].queryset = qaf_selectors.themes_for_filter(user)
        self.fields["term"].queryset = qaf_selectors.terms_for_filter(user)
        self.fields["child"].limit_to(user)

    def filters(self) -> selectors.ActionFilters:
        """The chosen filters; invalid values (a stale id, an unknown status) are ignored one by one."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def pk(name: str) -> int | None:
            value = data.get(name)
            return value.pk if value else None

        return selectors.ActionFilters(
            agency_id=pk("agency"),
            team_id=pk("team"),
            worker_id=pk("worker"),
            status=data.get("status", ""),
            rag=data.get("rag", ""),
            source=data.get("source", ""),
            theme_id=pk("theme"),
            term_id=pk("term"),
            child_id=pk("child"),
            sort=data.get("sort") or selectors.DEFAULT_SORT,
        )

    def active(self) -> list[tuple[str, str, str]]:
        """The filters in use as (field name, label, chosen value label), for the 'selected filters' panel."""
        self.is_valid()
        chosen = []
        for name, value in getattr(self, "cleaned_data", {}).items():
            if name == "sort" or value in (None, ""):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                text = field.label_from_instance(value)
            else:
                text = str(dict(field.choices).get(value, value))
            chosen.append((name, field.label, text))
        return chosen


@govuk_errors_for(year="an academic year from the list", term="a term from the list")
class ThemePeriodForm(forms.Form):
    """An academic year (the current one by default) and, for the workforce-development page, one term."""

    year = forms.ModelChoiceField(label="Academic year", queryset=None, required=False, empty_label=None)
    term = _TermChoiceField(label="Term", queryset=None, required=False, empty_label="The whole year")

    def __init__(self, *args, user: User, with_term: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = qaf_selectors.academic_years_for(user)
        if with_term:
            self.fields["term"].queryset = qaf_selectors.terms_for_filter(user)
        else:
            del self.fields["term"]

    def chosen(self, today) -> tuple[AcademicYear | None, Term | None]:
        """The chosen year (or the one containing today, else the latest) and term (None: the whole year)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        term = data.get("term")
        year = term.academic_year if term else data.get("year")
        if year is None:
            years = list(self.fields["year"].queryset)
            year = next((y for y in years if y.starts_on <= today <= y.ends_on), years[0] if years else None)
            if year is not None and not self.is_bound:
                self.initial["year"] = year.pk  # so the picker shows the year the page is about
        return year, term
