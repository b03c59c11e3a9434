"""Forms of the annual audit plan, scheduling audits from it, and drawing samples."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.db.models.functions import Upper

from audits.models import ActivityKind, AuditPlan, AuditTool, Level2Form, PlannedActivity
from audits.models.audits import PlanStage
from audits.services.sampling import MAX_SIZE, STRATA, case_kind, default_period
from audits.services.sampling.pools import REVIEW
from ehcp.models import Child
from qaf.fields import GovukDateField
from qaf.forms import choice_field, govuk_errors_for, model_choice_field, textarea_field
from qaf.models import AcademicYear, Agency, HalfTerm, Term, Theme, User

# GOV.UK asks for whole numbers in a text input with a numeric keyboard, not <input type="number">.
NUMBER = forms.TextInput(attrs={"inputmode": "numeric"})
EITHER = "either"

LEVEL_CHOICES = [
    ("", "No level (another QA activity)"),
    ("1", "Level 1: single-agency audit"),
    ("2", "Level 2: statutory assessment team audit"),
    ("3", "Level 3: multi-agency audit"),
    ("4", "Level 4: system-leader case review"),
]


class _AuditorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class _HalfTermField(forms.ModelChoiceField):
    def label_from_instance(self, obj: HalfTerm) -> str:
        return f"Half term {obj.number} ({obj.term.get_name_display().lower()})"


_SEED_RANGE = "The seed must be a whole number from 0 upwards"
SEED = ("the seed", {"min_value": _SEED_RANGE, "max_value": _SEED_RANGE})


def _seed_field() -> forms.IntegerField:
    """A sample's random seed: blank for a new draw, or an earlier draw's seed to draw the same cases again."""
    return forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        widget=NUMBER,
        help_text="Leave blank for a new random draw. Enter an earlier draw's seed to draw it again.",
    )


@govuk_errors_for(academic_year="the academic year", title="the title")
class PlanCreateForm(forms.Form):
    academic_year = forms.ModelChoiceField(
        label="Academic year", queryset=AcademicYear.objects.none(), empty_label="Choose the academic year"
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="Leave blank for “Annual audit plan” and the year.",
    )

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "academic_year").queryset = AcademicYear.objects.filter(
            partnership_id=partnership_id
        ).exclude(pk__in=AuditPlan.objects.filter(partnership_id=partnership_id).values("academic_year_id"))


@govuk_errors_for(
    level="the audit level",
    kind="the kind of activity",
    title="the title",
    theme="a theme from the list",
    when="when the activity happens",
    lead_agency="the lead agency",
    tool="an audit tool from the list",
    planned_count="the number planned",
    notes="the notes",
)
class ActivityForm(forms.Form):
    """One planned activity. "When" is one choice of a half term or a whole term of the plan's year."""

    level = forms.TypedChoiceField(
        label="Audit level", choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )
    kind = forms.ChoiceField(
        label="Kind of activity", choices=[("", "Choose the kind of activity"), *ActivityKind.choices]
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="For example, Multi-agency audit: preparation for adulthood.",
    )
    theme = forms.ModelChoiceField(
        label="Theme (optional)", queryset=Theme.objects.none(), required=False, empty_label="No theme"
    )
    when = forms.ChoiceField(label="When", help_text="A half term, or a whole term.")
    lead_agency = forms.ModelChoiceField(
        label="Lead agency", queryset=Agency.objects.none(), empty_label="Choose the lead agency"
    )
    tool = forms.ModelChoiceField(
        label="Audit tool",
        queryset=AuditTool.objects.none(),
        required=False,
        empty_label="No tool yet",
        help_text="It must serve the chosen level. Audits can only be scheduled once it has an approved version.",
    )
    planned_count = forms.IntegerField(label="How many", min_value=1, max_value=999, initial=1, widget=NUMBER)
    notes = textarea_field("Notes (optional)", max_length=2000)

    def __init__(self, *args: Any, plan: AuditPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership_id = plan.partnership_id
        model_choice_field(self, "theme").queryset = Theme.objects.filter(
            partnership_id=partnership_id, is_active=True
        )
        model_choice_field(self, "lead_agency").queryset = Agency.objects.filter(
            partnership_id=partnership_id, is_active=True
        )
        model_choice_field(self, "tool").queryset = AuditTool.objects.filter(partnership_id=partnership_id)
        halves = HalfTerm.objects.filter(term__academic_year_id=plan.academic_year_id).select_related("term")
        terms = Term.objects.filter(academic_year_id=plan.academic_year_id)
        choice_field(self, "when").choices = [
            ("", "Choose when"),
            *[(f"h{h.pk}", f"Half term {h.number} ({h.term.get_name_display().lower()})") for h in halves],
            *[(f"t{t.pk}", f"Whole {t.get_name_display().lower()} term") for t in terms],
        ]
        self._halves = {h.pk: h for h in halves}
        self._terms = {t.pk: t for t in terms}

    @staticmethod
    def initial_for(activity: PlannedActivity) -> dict:
        return {
            "level": activity.level,
            "kind": activity.kind,
            "title": activity.title,
            "theme": activity.theme,
            "when": f"h{activity.half_term_id}" if activity.half_term_id else f"t{activity.term_id}",
            "lead_agency": activity.lead_agency,
            "tool": activity.tool,
            "planned_count": activity.planned_count,
            "notes": activity.notes,
        }

    def service_arguments(self) -> dict:
        """The cleaned data as the plan services take it (term or half term instead of "when")."""
        data = dict(self.cleaned_data)
        when = data.pop("when")
        number = int(when[1:])
        data["half_term"] = self._halves[number] if when.startswith("h") else None
        data["term"] = self._terms[number] if when.startswith("t") else None
        return data


@govuk_errors_for(reason="the reason")
class ReasonForm(forms.Form):
    reason = textarea_field("Reason", required=True, max_length=2000)

    def __init__(self, *args: Any, label: str = "Reason", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


def split_references(text: str) -> list[str]:
    return [ref for ref in re.split(r"[\s,;]+", text or "") if ref]


@govuk_errors_for(
    children="cases from the list",
    case_references="the case references",
    assignees="auditors from the list",
    level2_form="which Level 2 audit this is",
    plan_stage="what is audited",
    sample=("the sample", {"invalid": "Start again from the sample"}),
)
class ScheduleForm(forms.Form):
    """Cases (ticked from the sample or the search, or typed), auditors, due date, and at Level 2 the form
    and plan stage. `cases` in cleaned_data holds the chosen children, every one visible to the user."""

    children = forms.ModelMultipleChoiceField(
        label="Cases", queryset=Child.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    case_references = textarea_field(
        "Case references", max_length=4000, help_text="One or more, separated by spaces, commas or new lines."
    )
    assignees = _AuditorsField(
        label="Auditors",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one auditor"},
    )
    due_on = GovukDateField(
        label="Due date", label_for_errors="the due date", help_text="For example, 27 3 2026"
    )
    level2_form = forms.ChoiceField(
        label="Which Level 2 audit is this?", choices=Level2Form.choices, widget=forms.RadioSelect
    )
    plan_stage = forms.ChoiceField(
        label="What is audited?", choices=PlanStage.choices, widget=forms.RadioSelect
    )
    sample = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        activity: PlannedActivity,
        children: QuerySet[Child],
        auditors: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.visible_children = children
        model_choice_field(self, "children").queryset = children
        model_choice_field(self, "assignees").queryset = auditors
        if activity.level != 2:
            del self.fields["level2_form"]
            del self.fields["plan_stage"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        cases = list(data.get("children") or [])
        references = split_references(data.get("case_references", ""))
        if references:
            # Case references match whatever the case they are typed in.
            found = {
                c.case_reference.upper(): c
                for c in self.visible_children.annotate(ref=Upper("case_reference")).filter(
                    ref__in=[r.upper() for r in references]
                )
            }
            missing = [r for r in references if r.upper() not in found]
            if missing:
                self.add_error("case_references", f"No case found with the reference {', '.join(missing)}")
            chosen = {c.pk for c in cases}
            for ref in references:
                child = found.get(ref.upper())
                if child is not None and child.pk not in chosen:
                    cases.append(child)
                    chosen.add(child.pk)
        if not cases and not self.has_error("case_references"):
            self.add_error("children", "Choose at least one case, or enter a case reference")
        data["cases"] = cases
        return data


@govuk_errors_for(
    half_term="the half term",
    size="the number of cases",
    strata="what to stratify by from the list",
    seed=SEED,
)
class Level3SampleForm(forms.Form):
    half_term = _HalfTermField(
        label="Half term", queryset=HalfTerm.objects.none(), empty_label="Choose the half term"
    )
    size = forms.IntegerField(
        label="How many cases", min_value=1, max_value=MAX_SIZE, initial=6, widget=NUMBER
    )
    strata = forms.MultipleChoiceField(
        label="Stratify by (optional)",
        required=False,
        choices=[(key, label.capitalize()) for key, label in STRATA.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="Places are shared in proportion to the size of each group.",
    )
    seed = _seed_field()

    def __init__(self, *args: Any, activity: PlannedActivity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        halves = HalfTerm.objects.filter(
            term__academic_year_id=activity.plan.academic_year_id
        ).select_related("term__academic_year")
        model_choice_field(self, "half_term").queryset = halves


@govuk_errors_for(quota="the number of cases", seed=SEED, stage="what is audited")
class QuotaSampleForm(forms.Form):
    """A Level 1 or 2 draw: how many, what is audited and the period it was issued or held in.
    `stage_value()` is the stage as the sampling service takes it ("" for draft or final plans)."""

    quota = forms.IntegerField(label="Quota", min_value=1, max_value=MAX_SIZE, initial=5, widget=NUMBER)
    seed = _seed_field()

    stage = forms.ChoiceField(
        label="What is audited?",
        choices=[
            (EITHER, "Draft or final plans"),
            (PlanStage.DRAFT, "Draft plans"),
            (PlanStage.FINAL, "Final plans"),
            (PlanStage.REVIEW, "Annual reviews"),
        ],
        initial=EITHER,
        widget=forms.RadioSelect,
        help_text="Only children with one of these in the period are drawn.",
        error_messages={"required": "Choose what is audited"},
    )
    period_start = GovukDateField(
        label="Period from",
        label_for_errors="the date the period starts",
        help_text="The plan was issued, or the review held, on or after this day. For example, 1 6 2025",
    )
    period_end = GovukDateField(
        label="Period to",
        label_for_errors="the date the period ends",
        help_text="The plan was issued, or the review held, on or before this day. For example, 31 8 2025",
    )

    def __init__(self, *args: Any, activity: PlannedActivity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period = default_period(activity)
        self.fields["period_start"].initial = period.starts_on
        self.fields["period_end"].initial = period.ends_on
        if case_kind(activity, "") == REVIEW:
            # A review audit tool audits annual reviews only: nothing to choose.
            del self.fields["stage"]
        if activity.level == 2:
            self.fields["quota"].label = "Cases per team"
            self.fields["quota"].help_text = "Up to this many from each caseworker team."
        else:
            self.fields["quota"].label = "How many cases"
            self.fields[
                "quota"
            ].help_text = f"Drawn from the children {activity.lead_agency} is involved with."

    def stage_value(self) -> str:
        stage = self.cleaned_data.get("stage", "")
        return "" if stage == EITHER else stage
