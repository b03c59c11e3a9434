"""The `complaints` and `compliments` API resources, read-only and scoped by feedback.access like the pages:
a row the caller may not see is a 404, and board members (counts only) get 403 on both lists."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from ehcp.api.filters import IdFilter
from feedback import access
from feedback.api.serializers import ComplaintSerializer, ComplimentSerializer
from feedback.models import Complaint, ComplaintCategory, ComplaintOutcome, ComplaintStage, Compliment
from feedback.selectors import ComplaintFilters, complaints_filtered, compliments_filtered


class SeesLists(permissions.BasePermission):
    message = "Board members see the quarterly counts, not the complaints and compliments themselves."

    def has_permission(self, request, view) -> bool:
        return access.can_see_lists(request.user)


class ComplaintFilter(filters.FilterSet):
    agency = IdFilter(method="filter_agency", label="Agency (id)")
    stage = filters.ChoiceFilter(choices=ComplaintStage.choices, method="filter_stage")
    category = filters.ChoiceFilter(choices=ComplaintCategory.choices, method="filter_category")
    outcome = filters.ChoiceFilter(
        choices=[*ComplaintOutcome.choices, ("none", "Not decided yet")], method="filter_outcome"
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue", label="Not responded to and past the response date"
    )
    term = IdFilter(method="filter_term", label="Received within this term of the partnership (id)")

    class Meta:
        model = Complaint
        fields: list[str] = []

    def _apply(self, queryset, **values):
        return complaints_filtered(queryset, ComplaintFilters(**values), today=timezone.localdate())

    def filter_agency(self, queryset, name, value):
        return self._apply(queryset, agency_id=value)

    def filter_stage(self, queryset, name, value):
        return self._apply(queryset, stage=value)

    def filter_category(self, queryset, name, value):
        return self._apply(queryset, category=value)

    def filter_outcome(self, queryset, name, value):
        return self._apply(queryset, outcome=value)

    def filter_overdue(self, queryset, name, value):
        return self._apply(queryset, overdue=value)

    def filter_term(self, queryset, name, value):
        return self._apply(queryset, term_id=value)


class ComplimentFilter(filters.FilterSet):
    agency = IdFilter(method="filter_agency", label="Agency (id)")
    term = IdFilter(method="filter_term", label="Received within this term of the partnership (id)")

    class Meta:
        model = Compliment
        fields: list[str] = []

    def filter_agency(self, queryset, name, value):
        return compliments_filtered(queryset, agency_id=value)

    def filter_term(self, queryset, name, value):
        return compliments_filtered(queryset, term_id=value)


@extend_schema_view(
    list=extend_schema(
        summary="Complaints the caller may see", description="Latest received first. 403 for board members."
    ),
    retrieve=extend_schema(summary="One complaint"),
)
@extend_schema(tags=["complaints"])
class ComplaintViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    permission_classes = [permissions.IsAuthenticated, SeesLists]

    def get_queryset(self) -> QuerySet[Complaint]:
        return (
            access.visible_complaints(self.request.user)
            .select_related("agency", "child")
            .prefetch_related("themes")
            .order_by("-received_on", "-pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Compliments the caller may see", description="Latest received first. 403 for board members."
    ),
    retrieve=extend_schema(summary="One compliment"),
)
@extend_schema(tags=["compliments"])
class ComplimentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ComplimentSerializer
    filterset_class = ComplimentFilter
    permission_classes = [permissions.IsAuthenticated, SeesLists]

    def get_queryset(self) -> QuerySet[Compliment]:
        return (
            access.visible_compliments(self.request.user)
            .select_related("agency")
            .prefetch_related("themes")
            .order_by("-received_on", "-pk")
        )
