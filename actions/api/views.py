"""The `actions` and `escalations` API resources: the action tracker and the escalations, read-only.

Scoped by actions.access.actions.visible / visible_escalations, the querysets the pages use: a row the caller
may not see is a 404. Board members see counts only (the themes pages), so both lists are 403 for them, as the
tracker is. Filters are the pages' (actions.filters). The ids of the record a row came
from (`audit`, `concern`) are what its kind registers in actions.sources. Actions are written through the pages.
"""

from __future__ import annotations

from rest_framework import permissions, serializers

from actions import access, sources
from actions.filters import ActionFilterSet, EscalationFilterSet
from actions.models import (
    ActionSource,
    ActionStatus,
    Escalation,
    EscalationStatus,
    EscalationTrigger,
    RemedialAction,
)
from ehcp.api.serializers import ChildReferenceFields
from qaf.api.permissions import PolicyPermission
from qaf.api.serializers import AgencyFields, ThemeIdsField
from qaf.api.viewsets import ReadOnlyPolicyViewSet, documented


class NotBoardOnly(PolicyPermission):
    message = "Board members see counts of actions and escalations, not the rows."
    policy = access.actions
    action = "see_rows"


# The base of the actions and escalations resources: rows with their themes and the record they came from,
# refused to board members. (A comment, not a docstring: drf-spectacular would describe both resources'
# operations by it.)
class _RowsViewSet(ReadOnlyPolicyViewSet):
    permission_classes = [permissions.IsAuthenticated, NotBoardOnly]
    prefetch_related = ("themes", "source_object")


class SourceReference(serializers.IntegerField):
    """The id of the record (of one kind) a row came from, or null: e.g. `audit`, the audit an action was raised
    from or the audit of the safeguarding concern an escalation was raised for. Needs the rows' source_object
    prefetched."""

    def __init__(self, name: str, **kwargs):
        self.reference = name
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, row) -> int | None:  # type: ignore[override]  # null when the row has no such record, which the stubs' int leaves out
        record = row.source_object if row.source_type_id else None
        return sources.references(record).get(self.reference)


class ActionSerializer(AgencyFields, ChildReferenceFields, ThemeIdsField, serializers.ModelSerializer):
    source = serializers.CharField(read_only=True, help_text=", ".join(ActionSource.values))  # type: ignore[assignment]  # a declared field, not Field.source
    audit = SourceReference("audit")
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


@documented(
    "actions",
    list=(
        "Remedial actions the caller may see",
        "Soonest due first. Filters as on the action tracker. 403 for board members.",
    ),
    retrieve="One remedial action",
)
class ActionViewSet(_RowsViewSet):
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    policy = access.actions
    select_related = ("child", "agency", "team", "worker", "team_manager")
    ordering = ("due_on", "pk")


class EscalationSerializer(AgencyFields, ChildReferenceFields, ThemeIdsField, serializers.ModelSerializer):
    trigger = serializers.CharField(read_only=True, help_text=", ".join(EscalationTrigger.values))
    audit = SourceReference("audit")
    concern = SourceReference("concern")
    head_of_service = serializers.IntegerField(source="head_of_service_id", read_only=True, allow_null=True)
    head_of_service_name = serializers.CharField(
        source="head_of_service.display_name", read_only=True, allow_null=True
    )
    status = serializers.CharField(read_only=True, help_text=", ".join(EscalationStatus.values))
    raised_by = serializers.IntegerField(source="raised_by_id", read_only=True, allow_null=True)
    acknowledged_by = serializers.IntegerField(source="acknowledged_by_id", read_only=True, allow_null=True)
    resolved_by = serializers.IntegerField(source="resolved_by_id", read_only=True, allow_null=True)

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


@documented(
    "escalations",
    list=(
        "Case escalations the caller may see",
        "Latest raised first. 403 for board members. Escalations are never deleted.",
    ),
    retrieve="One case escalation",
)
class EscalationViewSet(_RowsViewSet):
    serializer_class = EscalationSerializer
    filterset_class = EscalationFilterSet
    policy = access.escalations
    select_related = ("child", "agency", "head_of_service")
    ordering = ("-raised_at", "-pk")


def register(router) -> None:
    """Add this module's viewsets to the router."""
    router.register("actions", ActionViewSet, basename="api-action")
    router.register("escalations", EscalationViewSet, basename="api-escalation")
