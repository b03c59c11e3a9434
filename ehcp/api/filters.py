"""Filters of the children, assessment, plan and review lists.

Each filter narrows a queryset already scoped by ehcp.access, so no filter value can reach another
partnership's rows.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ehcp.codes import PrimaryNeed, SettingType
from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan, PlanKind
from ehcp.selectors import ChildFilters, children_filtered
from ehcp.timeliness import KEY_STAGES


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.Filter):
    """A row id: a whole number, unlike NumberFilter's decimal."""

    field_class = forms.IntegerField


class ChildFilter(filters.FilterSet):
    agency = IdFilter(method="filter_agency", label="Agency involved (id)")
    primary_need = filters.ChoiceFilter(choices=PrimaryNeed.choices)
    key_stage = filters.ChoiceFilter(choices=KEY_STAGES, method="filter_key_stage", label="Key stage today")
    setting_type = filters.ChoiceFilter(choices=SettingType.choices)
    looked_after = filters.BooleanFilter()
    child_in_need = filters.BooleanFilter()
    review_overdue = filters.BooleanFilter(
        method="filter_review_overdue",
        label="Annual review overdue (plan not ended, next review date passed)",
    )
    search = filters.CharFilter(method="filter_search", label="Case reference contains (any case)")

    class Meta:
        model = Child
        fields: list[str] = []

    # The page's filters live in ehcp.selectors.children_filtered; the API applies the same code, one
    # filter at a time, so a list on the page and the API can never disagree.
    def filter_agency(self, queryset: QuerySet[Child], name: str, value: int) -> QuerySet[Child]:
        return children_filtered(queryset, ChildFilters(agency_id=value))

    def filter_key_stage(self, queryset: QuerySet[Child], name: str, value: str) -> QuerySet[Child]:
        return children_filtered(queryset, ChildFilters(key_stage=value))

    def filter_review_overdue(self, queryset: QuerySet[Child], name: str, value: bool) -> QuerySet[Child]:
        overdue = children_filtered(queryset, ChildFilters(review_overdue=True))
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_search(self, queryset: QuerySet[Child], name: str, value: str) -> QuerySet[Child]:
        return children_filtered(queryset, ChildFilters(search=value))


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
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
