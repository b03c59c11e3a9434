"""The `audit-plans` API: annual audit plans with their activities and progress counts.

Scoped exactly like the plan pages (audits.access.plans.visible: every member of the partnership reads its
plans, board members included; they hold counts only, never a child). Writes are the SQA officer's
(audits.access.plans.can(user, "manage")) and go through audits.services.plans; their ValidationErrors become 400s
with the same field names. Another partnership's plan is a 404; a write the caller may not make is a 403.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from audits import access
from audits.api.caller import caller_partnership
from audits.models import ActivityKind, AuditPlan, AuditPlanStatus, AuditTool, PlannedActivity
from audits.selectors import plans as selectors
from audits.services import plans as services
from qaf.access import user_access
from qaf.api.viewsets import ReadOnlyPolicyViewSet, documented, signed_in

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations
from qaf.models import AcademicYear, Agency, HalfTerm, Term, Theme

MANAGE_DENIED = "Only the SQA officer changes the audit plan."


KIND_HELP = "One of: " + ", ".join(ActivityKind.values)


class ActivitySerializer(serializers.ModelSerializer):
    """One planned activity and its progress: planned (planned_count), scheduled, done and late."""

    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    half_term_number = serializers.IntegerField(
        source="half_term.number",
        read_only=True,
        allow_null=True,
        help_text="1 to 6, if planned by half term.",
    )
    scheduled = serializers.IntegerField(read_only=True, help_text="Audits created from this activity.")
    done = serializers.IntegerField(read_only=True, help_text="Of those, submitted, moderated or closed.")
    late = serializers.IntegerField(read_only=True, help_text="Of those, still open after their due date.")

    class Meta:
        model = PlannedActivity
        fields = [
            "id",
            "level",
            "kind",
            "title",
            "theme",
            "term",
            "half_term",
            "half_term_number",
            "lead_agency",
            "tool",
            "planned_count",
            "notes",
            "scheduled",
            "done",
            "late",
        ]
        read_only_fields = fields


class TotalsSerializer(serializers.Serializer):
    planned = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    done = serializers.IntegerField()
    late = serializers.IntegerField()


class AuditPlanSerializer(serializers.ModelSerializer):
    academic_year_label = serializers.CharField(source="academic_year.__str__", read_only=True)
    activities = ActivitySerializer(many=True, read_only=True)
    totals = serializers.SerializerMethodField()

    class Meta:
        model = AuditPlan
        fields = [
            "id",
            "academic_year",
            "academic_year_label",
            "title",
            "status",
            "approved_by",
            "approved_at",
            "created_at",
            "activities",
            "totals",
        ]
        read_only_fields = fields

    @extend_schema_field(TotalsSerializer)
    def get_totals(self, plan: AuditPlan) -> dict[str, int]:
        totals = selectors.Progress()
        # Prefetched with their counts (selectors.with_progress).
        activities = cast(
            "list[WithAnnotations[PlannedActivity, selectors.ProgressCounts]]", plan.activities.all()
        )
        for activity in activities:
            totals.add(activity)
        return asdict(totals)


class _InPartnership(serializers.PrimaryKeyRelatedField):
    """An id of a row of the caller's partnership (others read as "does not exist")."""

    def __init__(self, *, path: str, **kwargs):
        self.path = path
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        partnership_id = user_access(request.user).partnership_id if request else None
        queryset = super().get_queryset()
        if queryset is None:
            raise TypeError("An _InPartnership field is given the queryset it narrows")
        return queryset.filter(**{self.path: partnership_id}) if partnership_id else queryset.none()


class AuditPlanCreateSerializer(serializers.Serializer):
    academic_year = _InPartnership(path="partnership_id", queryset=AcademicYear.objects.all())
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AuditPlanReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the plan needs to change; kept in its history.")


class ActivityWriteSerializer(serializers.Serializer):
    level = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4)
    # A plain string (the service checks it): an enum named "kind" would collide with other apps' enums.
    kind = serializers.CharField(help_text=KIND_HELP)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    theme = _InPartnership(
        path="partnership_id", queryset=Theme.objects.all(), required=False, allow_null=True
    )
    term = _InPartnership(
        path="academic_year__partnership_id", queryset=Term.objects.all(), required=False, allow_null=True
    )
    half_term = _InPartnership(
        path="term__academic_year__partnership_id",
        queryset=HalfTerm.objects.select_related("term"),
        required=False,
        allow_null=True,
    )
    lead_agency = _InPartnership(path="partnership_id", queryset=Agency.objects.all())
    tool = _InPartnership(
        path="partnership_id", queryset=AuditTool.objects.all(), required=False, allow_null=True
    )
    planned_count = serializers.IntegerField(required=False, min_value=1, max_value=999)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_field(OpenApiTypes.INT)
class _WholeNumberFilter(filters.Filter):
    field_class = forms.IntegerField


class AuditPlanFilter(filters.FilterSet):
    year = _WholeNumberFilter(
        field_name="academic_year__start_year", label="Academic year, by the calendar year it starts in"
    )
    status = filters.ChoiceFilter(choices=AuditPlanStatus.choices)

    class Meta:
        model = AuditPlan
        fields: list[str] = []


ACTIVITY_ID = OpenApiParameter("activity_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@documented(
    "audit-plans",
    list="Annual audit plans, newest year first, with activities and progress",
    retrieve="One annual audit plan with its activities and progress",
    create=extend_schema(
        summary="Start the audit plan of an academic year (SQA officer)",
        request=AuditPlanCreateSerializer,
        responses={201: AuditPlanSerializer},
    ),
)
class AuditPlanViewSet(mixins.CreateModelMixin, ReadOnlyPolicyViewSet):
    serializer_class = AuditPlanSerializer
    filterset_class = AuditPlanFilter
    policy = access.plans
    select_related = ("academic_year",)
    ordering = ("-academic_year__start_year", "pk")

    def get_queryset(self) -> QuerySet[AuditPlan]:
        activities = selectors.activities_for_plan(today=timezone.localdate())
        return super().get_queryset().prefetch_related(Prefetch("activities", queryset=activities))

    def _managed_plan(self) -> AuditPlan:
        plan = self.get_object()
        if not access.plans.can(self.request.user, "manage"):
            raise PermissionDenied(MANAGE_DENIED)
        return plan

    def _fresh(self, plan: AuditPlan, code: int = status.HTTP_200_OK) -> Response:
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(AuditPlanSerializer(plan, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request, *args, **kwargs) -> Response:
        if not access.plans.can(request.user, "manage"):
            raise PermissionDenied(MANAGE_DENIED)
        data = AuditPlanCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        plan = services.audit_plan_create(
            partnership=caller_partnership(request, MANAGE_DENIED),
            by=signed_in(request),
            **data.validated_data,
        )
        return self._fresh(plan, status.HTTP_201_CREATED)

    @extend_schema(summary="Approve the plan, locking its activities (SQA officer)", request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        plan = services.audit_plan_approve(plan=self._managed_plan(), by=signed_in(request))
        return self._fresh(plan)

    @extend_schema(
        summary="Reopen an approved plan for changes, with a reason (SQA officer)",
        request=AuditPlanReopenSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk=None) -> Response:
        plan = self._managed_plan()
        data = AuditPlanReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.audit_plan_reopen(
            plan=plan, by=signed_in(request), reason=data.validated_data["reason"]
        )
        return self._fresh(plan)

    @extend_schema(
        summary="Add an activity to a draft plan (SQA officer)",
        request=ActivityWriteSerializer,
        responses={201: AuditPlanSerializer},
    )
    @action(detail=True, methods=["post"], url_path="activities")
    def activities(self, request: Request, pk=None) -> Response:
        plan = self._managed_plan()
        data = ActivityWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        services.planned_activity_add(plan=plan, by=signed_in(request), **data.validated_data)
        return self._fresh(plan, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["patch"],
        summary="Change an activity of a draft plan (SQA officer)",
        request=ActivityWriteSerializer,
        parameters=[ACTIVITY_ID],
    )
    @extend_schema(
        methods=["delete"],
        summary="Remove an activity from a draft plan (SQA officer)",
        request=None,
        responses={204: None},
        parameters=[ACTIVITY_ID],
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"activities/(?P<activity_id>[0-9]+)")
    def activity(self, request: Request, pk=None, activity_id=None) -> Response:
        plan = self._managed_plan()
        activity = plan.activities.filter(pk=activity_id).first()
        if activity is None:
            raise NotFound()
        if request.method == "DELETE":
            services.planned_activity_remove(activity=activity, by=signed_in(request))
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = ActivityWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        services.planned_activity_update(activity=activity, by=signed_in(request), **data.validated_data)
        return self._fresh(plan)


def register(router) -> None:
    """Add this module's viewsets to the router."""
    router.register("audit-plans", AuditPlanViewSet, basename="api-audit-plan")
