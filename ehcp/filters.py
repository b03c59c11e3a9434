"""Filters of the children, assessment, plan and review lists, for the pages and the API alike (qaf.lists).

Each filter narrows a queryset already scoped by ehcp.access, so no filter value can reach another
partnership's rows. The children page and the API name some filters differently (`q` and `search`, `need` and
`primary_need`, `setting` and `setting_type`, `overdue` and `review_overdue`); both names are accepted.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from ehcp import access, selectors, timeliness
from ehcp.codes import PrimaryNeed, SettingType
from ehcp.forms import ChildFilterField
from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan, PlanKind
from qaf.lists import (
    IdFilter,
    ListFilterSet,
    ScopedChoiceFilter,
    YesNoFilter,
    agency_filter,
    row_id,
    where_or_not,
)


def child_filter(api_label: str) -> ScopedChoiceFilter:
    """A list's "about this child" filter (`?child=<id>`): one of the children the user may see."""
    return ScopedChoiceFilter(
        choices=access.children.visible, field_class=ChildFilterField, api_label=api_label, field_name="child"
    )


class ChildFilterSet(ListFilterSet):
    """The children list: the page's filter panel and the `children` API resource."""

    q = filters.CharFilter(
        label="Case reference",
        method="filter_search",
        max_length=40,
        widget=forms.TextInput(attrs={"govuk_width": "10"}),
        help_text="Case reference contains (any case); the same as `search`",
    )
    agency = agency_filter(
        api_label="Agency involved (id)",
        label="Agency involved",
        choices=selectors.agencies_for_filter,
        method="filter_agency",
    )
    need = filters.ChoiceFilter(
        field_name="primary_need",
        label="Primary need",
        choices=PrimaryNeed.choices,
        empty_label="Any need",
        help_text="The same as `primary_need`",
    )
    primary_need = filters.ChoiceFilter(choices=PrimaryNeed.choices)
    key_stage = filters.ChoiceFilter(
        label="Key stage",
        choices=timeliness.KEY_STAGES,
        empty_label="Any key stage",
        method="filter_key_stage",
        help_text="Key stage today",
    )
    setting = filters.ChoiceFilter(
        field_name="setting_type",
        label="Setting",
        choices=SettingType.choices,
        empty_label="Any setting",
        help_text="The same as `setting_type`",
    )
    setting_type = filters.ChoiceFilter(choices=SettingType.choices)
    overdue = YesNoFilter(
        label="Annual review overdue",
        method="filter_review_overdue",
        help_text="The same as `review_overdue`",
    )
    review_overdue = YesNoFilter(
        method="filter_review_overdue",
        label="Annual review overdue (plan not ended, next review date passed)",
    )
    looked_after = YesNoFilter(label="Looked-after children only")
    child_in_need = filters.BooleanFilter()
    search = filters.CharFilter(method="filter_search", label="Case reference contains (any case)")

    panel = ("q", "agency", "need", "key_stage", "setting", "overdue", "looked_after")
    errors_about = {
        "q": "the case reference",
        "need": "a primary need from the list",
        "key_stage": "a key stage from the list",
        "setting": "a setting from the list",
    }

    class Meta:
        model = Child
        fields: list[str] = []

    def filter_agency(self, queryset: QuerySet[Child], name: str, value) -> QuerySet[Child]:
        through = Child.agencies.through.objects.filter(agency_id=row_id(value))
        return queryset.filter(pk__in=through.values("child_id"))

    def filter_key_stage(self, queryset: QuerySet[Child], name: str, value: str) -> QuerySet[Child]:
        earliest, latest = timeliness.birth_date_range_for_key_stage(value, timezone.localdate())
        return queryset.filter(date_of_birth__range=(earliest, latest))

    def filter_review_overdue(self, queryset: QuerySet[Child], name: str, value: bool) -> QuerySet[Child]:
        overdue = Q(next_review_due_on__lt=timezone.localdate(), plan_ended_on=None)
        return (
            queryset.filter(overdue)
            if value
            else queryset.exclude(pk__in=queryset.filter(overdue).values("pk"))
        )

    def filter_search(self, queryset: QuerySet[Child], name: str, value: str) -> QuerySet[Child]:
        return queryset.filter(case_reference__icontains=value.strip())


class AssessmentFilter(filters.FilterSet):
    child = IdFilter(field_name="child_id", label="Child (id)")

    class Meta:
        model = NeedsAssessment
        fields: list[str] = []


class PlanFilter(filters.FilterSet):
    child = IdFilter(field_name="child_id", label="Child (id)")
    kind = filters.ChoiceFilter(choices=PlanKind.choices)

    class Meta:
        model = Plan
        fields: list[str] = []


class ReviewFilter(filters.FilterSet):
    child = IdFilter(field_name="child_id", label="Child (id)")
    overdue = filters.BooleanFilter(method="filter_overdue", label="Due date passed and no meeting held")

    class Meta:
        model = AnnualReview
        fields: list[str] = []

    def filter_overdue(
        self, queryset: QuerySet[AnnualReview], name: str, value: bool
    ) -> QuerySet[AnnualReview]:
        overdue = Q(meeting_on__isnull=True, due_on__lt=timezone.localdate())
        return where_or_not(queryset, overdue, value)
