"""The `actions` and `escalations` API resources: the action tracker and the escalations, read-only.

Scoped by actions.access.visible_actions / visible_escalations, the querysets the pages use: a row the caller
may not see is a 404. Board members see counts only (the themes pages), so both lists are 403 for them, as the
tracker is. Filters are the pages' (actions.selectors), applied one at a time. The ids of the record a row came
from (`audit`, `concern`) are what its kind registers in actions.sources. Actions are written through the pages.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from actions import access, sources
from actions.models import (
    ActionSource,
    ActionStatus,
    Escalation,
    EscalationStatus,
    EscalationTrigger,
    RemedialAction,
)
from actions.selectors.escalations import EscalationFilters, escalations_filtered
from actions.selectors.tracker import RAG_CHOICES, ActionFilters, actions_filtered
from qaf.lists import IdFilter


class NotBoardOnly(permissions.BasePermission):
    message = "Board members see counts of actions and escalations, not the rows."

    def has_permission(self, request, view) -> bool:
        return access.can_see_action_rows(request.user)


class SourceReference(serializers.IntegerField):
    """The id of the record (of one kind) a row came from, or null: e.g. `audit`, the audit an action was raised
    from or the audit of the safeguarding concern an escalation was raised for. Needs the rows' source_object
    prefetched."""

    def __init__(self, name: str, **kwargs):
        self.reference = name
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, row) -> int | None:
        record = row.source_object if row.source_type_id else None
        return sources.references(record).get(self.reference)


class ActionSerializer(serializers.ModelSerializer):
    source = serializers.CharField(read_only=True, help_text=", ".join(ActionSource.values))
    audit = SourceReference("audit")
    child = serializers.IntegerField(source="child_id", read_only=True, allow_null=True)
    child_case_reference = serializers.CharField(
        source="child.case_reference", read_only=True, allow_null=True
    )
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    team = serializers.IntegerField(source="team_id", read_only=True, allow_null=True)
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True)
    worker = serializers.IntegerField(source="worker_id", read_only=True)
    worker_name = serializers.CharField(source="worker.display_name", read_only=True)
    team_manager = serializers.IntegerField(source="team_manager_id", read_only=True, allow_null=True)
    team_manager_name = serializers.CharField(
        source="team_manager.display_name", read_only=True, allow_null=True
    )
    priority = serializers.CharField(read_only=True, help_text="high, medium or low")
    status = serializers.CharField(read_only=True, help_text=", ".join(ActionStatus.values))
    rag = serializers.CharField(
        read_only=True, help_text="Open actions: red (overdue), amber (due within 7 days), green; else blank."
    )
    themes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    raised_by = serializers.IntegerField(source="raised_by_id", read_only=True, allow_null=True)
    verified_by = serializers.IntegerField(source="verified_by_id", read_only=True, allow_null=True)

    class Meta:
        model = RemedialAction
        fields = [
            "id",
            "source",
            "source_note",
            "audit",
            "child",
            "child_case_reference",
            "agency",
            "agency_name",
            "team",
            "team_name",
            "worker",
            "worker_name",
            "team_manager",
            "team_manager_name",
            "what",
            "why",
            "priority",
            "due_on",
            "rag",
            "themes",
            "status",
            "evidence",
            "cancel_reason",
            "raised_by",
            "raised_at",
            "completed_at",
            "verified_by",
            "verified_at",
        ]
        read_only_fields = fields


class ActionFilter(filters.FilterSet):
    agency = IdFilter(method="filter_agency", label="Agency (id)")
    team = IdFilter(method="filter_team", label="Team (id)")
    worker = IdFilter(method="filter_worker", label="Worker carrying out the action (id)")
    status = filters.ChoiceFilter(choices=ActionStatus.choices, method="filter_status")
    rag = filters.ChoiceFilter(choices=RAG_CHOICES, method="filter_rag", label="Red, amber or green")
    source = filters.ChoiceFilter(choices=ActionSource.choices, method="filter_source")
    theme = IdFilter(method="filter_theme", label="Tagged with this theme (id)")
    term = IdFilter(method="filter_term", label="Due within this term of the partnership (id)")

    class Meta:
        model = RemedialAction
        fields: list[str] = []

    def _apply(self, queryset, **values):
        return actions_filtered(queryset, ActionFilters(**values))

    def filter_agency(self, queryset, name, value):
        return self._apply(queryset, agency_id=value)

    def filter_team(self, queryset, name, value):
        return self._apply(queryset, team_id=value)

    def filter_worker(self, queryset, name, value):
        return self._apply(queryset, worker_id=value)

    def filter_status(self, queryset, name, value):
        return self._apply(queryset, status=value)

    def filter_rag(self, queryset, name, value):
        return self._apply(queryset, rag=value)

    def filter_source(self, queryset, name, value):
        return self._apply(queryset, source=value)

    def filter_theme(self, queryset, name, value):
        return self._apply(queryset, theme_id=value)

    def filter_term(self, queryset, name, value):
        return self._apply(queryset, term_id=value)


@extend_schema_view(
    list=extend_schema(
        summary="Remedial actions the caller may see",
        description="Soonest due first. Filters as on the action tracker. 403 for board members.",
    ),
    retrieve=extend_schema(summary="One remedial action"),
)
@extend_schema(tags=["actions"])
class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    permission_classes = [permissions.IsAuthenticated, NotBoardOnly]

    def get_queryset(self) -> QuerySet[RemedialAction]:
        return (
            access.visible_actions(self.request.user)
            .select_related("child", "agency", "team", "worker", "team_manager")
            .prefetch_related("themes", "source_object")
            .order_by("due_on", "pk")
        )


class EscalationSerializer(serializers.ModelSerializer):
    trigger = serializers.CharField(read_only=True, help_text=", ".join(EscalationTrigger.values))
    audit = SourceReference("audit")
    concern = SourceReference("concern")
    child = serializers.IntegerField(source="child_id", read_only=True, allow_null=True)
    child_case_reference = serializers.CharField(
        source="child.case_reference", read_only=True, allow_null=True
    )
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    head_of_service = serializers.IntegerField(source="head_of_service_id", read_only=True, allow_null=True)
    head_of_service_name = serializers.CharField(
        source="head_of_service.display_name", read_only=True, allow_null=True
    )
    status = serializers.CharField(read_only=True, help_text=", ".join(EscalationStatus.values))
    raised_by = serializers.IntegerField(source="raised_by_id", read_only=True, allow_null=True)
    acknowledged_by = serializers.IntegerField(source="acknowledged_by_id", read_only=True, allow_null=True)
    resolved_by = serializers.IntegerField(source="resolved_by_id", read_only=True, allow_null=True)
    themes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "trigger",
            "audit",
            "concern",
            "child",
            "child_case_reference",
            "agency",
            "agency_name",
            "head_of_service",
            "head_of_service_name",
            "summary",
            "status",
            "raised_by",
            "raised_at",
            "notified_at",
            "acknowledge_by",
            "acknowledged_by",
            "acknowledged_at",
            "chased_at",
            "raised_to_sqa_at",
            "resolution",
            "resolved_by",
            "resolved_at",
            "themes",
        ]
        read_only_fields = fields


class EscalationFilter(filters.FilterSet):
    agency = IdFilter(method="filter_agency", label="Agency (id)")
    status = filters.ChoiceFilter(choices=EscalationStatus.choices, method="filter_status")
    trigger = filters.ChoiceFilter(choices=EscalationTrigger.choices, method="filter_trigger")
    theme = IdFilter(method="filter_theme", label="Tagged with this theme (id)")
    term = IdFilter(method="filter_term", label="Raised within this term of the partnership (id)")
    overdue = filters.BooleanFilter(
        method="filter_overdue", label="Waiting for acknowledgement past its deadline"
    )

    class Meta:
        model = Escalation
        fields: list[str] = []

    def _apply(self, queryset, **values):
        return escalations_filtered(queryset, EscalationFilters(**values))

    def filter_agency(self, queryset, name, value):
        return self._apply(queryset, agency_id=value)

    def filter_status(self, queryset, name, value):
        return self._apply(queryset, status=value)

    def filter_trigger(self, queryset, name, value):
        return self._apply(queryset, trigger=value)

    def filter_theme(self, queryset, name, value):
        return self._apply(queryset, theme_id=value)

    def filter_term(self, queryset, name, value):
        return self._apply(queryset, term_id=value)

    def filter_overdue(self, queryset, name, value):
        return self._apply(queryset, overdue=value)


@extend_schema_view(
    list=extend_schema(
        summary="Case escalations the caller may see",
        description="Latest raised first. 403 for board members. Escalations are never deleted.",
    ),
    retrieve=extend_schema(summary="One case escalation"),
)
@extend_schema(tags=["escalations"])
class EscalationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EscalationSerializer
    filterset_class = EscalationFilter
    permission_classes = [permissions.IsAuthenticated, NotBoardOnly]

    def get_queryset(self) -> QuerySet[Escalation]:
        return (
            access.visible_escalations(self.request.user)
            .select_related("child", "agency", "head_of_service")
            .prefetch_related("themes", "source_object")
            .order_by("-raised_at", "-pk")
        )


def register(router) -> None:
    """Add this module's viewsets to the router."""
    router.register("actions", ActionViewSet, basename="api-action")
    router.register("escalations", EscalationViewSet, basename="api-escalation")
