"""API views of children, needs assessments, plans and annual reviews.

Every list and detail is scoped by ehcp.access (the same querysets the pages use): an object the caller
may not see is a 404. Writes are for those ehcp.access.children.can(user, "change") allows (SQA officers and SAT staff); a
caller who may see an object but not change it gets a 403. Writes go through ehcp.services, whose
ValidationErrors become 400s with field names.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ehcp import access, services
from ehcp.api.serializers import AssessmentSerializer, ChildSerializer, PlanSerializer, ReviewSerializer
from ehcp.filters import AssessmentFilter, ChildFilterSet, PlanFilter, ReviewFilter
from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan
from qaf.access import partnership_for
from qaf.models import Agency

CHANGE_DENIED = "Only SQA officers and statutory assessment team staff may change children's records."


def _child_of(obj: Child | NeedsAssessment | Plan | AnnualReview) -> Child:
    return obj if isinstance(obj, Child) else obj.child


class ChangeChildRecords(BasePermission):
    """Reads for whoever can see the row (the queryset decides); writes per ehcp.access.children.can(user, "change").

    New children need can_change at once. New assessments, plans and reviews name their child in the
    body, so the view checks it after finding the child (404 first, then 403); changes to an existing
    row are checked here once the scoped lookup has found it.
    """

    message = CHANGE_DENIED

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "action", None) != "create":
            return True
        return not isinstance(view, ChildViewSet) or access.children.can(request.user, "change")

    def has_object_permission(
        self, request: Request, view: APIView, obj: Child | NeedsAssessment | Plan | AnnualReview
    ) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return access.children.can(request.user, "change", _child_of(obj))


def _changeable_child(request: Request, child_id: int) -> Child:
    """The child named in a request body: 404 if the caller cannot see it, 403 if they cannot change it."""
    child = access.children.get_for_user(request.user, child_id)
    if not access.children.can(request.user, "change", child):
        raise PermissionDenied(CHANGE_DENIED)
    return child


def _own_row(child: Child, related: str, field: str, pk: int | None, noun: str):
    """One of this child's assessments, plans or reviews by id, or a 400 naming the field."""
    if pk is None:
        return None
    row = getattr(child, related).filter(pk=pk).first()
    if row is None:
        raise serializers.ValidationError({field: [f"Choose {noun} of this child."]})
    return row


def _fresh(child: Child) -> Child:
    # The prefetched assessments describe the child before the write; serialize what is stored now.
    if hasattr(child, "assessments_newest_first"):
        del child.assessments_newest_first
    if hasattr(child, "_prefetched_objects_cache"):
        child._prefetched_objects_cache.clear()
    return child


class ScopedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve and create; subclasses scope get_queryset through ehcp.access and write via services."""

    permission_classes = [IsAuthenticated, ChangeChildRecords]


@extend_schema_view(
    list=extend_schema(summary="Children the caller may see", description="Ordered by case reference."),
    retrieve=extend_schema(summary="One child"),
    create=extend_schema(summary="Add a child (SQA officers and SAT staff)"),
    update=extend_schema(summary="Replace a child's record (SQA officers and SAT staff)"),
    partial_update=extend_schema(summary="Change a child's record (SQA officers and SAT staff)"),
)
@extend_schema(tags=["children"])
class ChildViewSet(mixins.UpdateModelMixin, ScopedViewSet):
    """Children, ordered by case reference; filters as on the children page (ehcp.selectors)."""

    serializer_class = ChildSerializer
    filterset_class = ChildFilterSet

    def get_queryset(self) -> QuerySet[Child]:
        return (
            access.children.visible(self.request.user)
            .prefetch_related(
                Prefetch("agencies", queryset=Agency.objects.only("id")),
                Prefetch(
                    "assessments",
                    queryset=NeedsAssessment.objects.order_by("-requested_on", "-id"),
                    to_attr="assessments_newest_first",
                ),
            )
            .order_by("case_reference", "id")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        agencies = fields.pop("agencies", [])
        partnership = partnership_for(request.user)
        if partnership is None:  # adding children needs a partnership: ChangeChildRecords has already refused
            raise PermissionDenied(CHANGE_DENIED)
        child = services.child_create(partnership=partnership, agencies=agencies, **fields)
        return Response(self.get_serializer(child).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        child = self.get_object()
        serializer = self.get_serializer(child, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        agencies = fields.pop("agencies", None)
        child = services.child_update(child=child, agencies=agencies, **fields)
        return Response(self.get_serializer(_fresh(child)).data)


@extend_schema_view(
    list=extend_schema(summary="Needs assessments of the children the caller may see"),
    retrieve=extend_schema(summary="One needs assessment"),
    create=extend_schema(summary="Record a needs assessment (SQA officers and SAT staff)"),
    update=extend_schema(summary="Replace a needs assessment (SQA officers and SAT staff)"),
    partial_update=extend_schema(summary="Change a needs assessment (SQA officers and SAT staff)"),
)
@extend_schema(tags=["assessments"])
class AssessmentViewSet(mixins.UpdateModelMixin, ScopedViewSet):
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[NeedsAssessment]:
        return (
            access.assessments.visible(self.request.user)
            .select_related("child")
            .order_by("-requested_on", "-id")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        child = _changeable_child(request, fields.pop("child_id"))
        assessment = services.assessment_save(child=child, **fields)
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        assessment = self.get_object()
        serializer = self.get_serializer(assessment, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        assessment = services.assessment_save(
            child=assessment.child,
            assessment=assessment,
            **serializer.validated_data,
        )
        return Response(self.get_serializer(assessment).data)


@extend_schema_view(
    list=extend_schema(summary="Plans of the children the caller may see", description="Newest first."),
    retrieve=extend_schema(summary="One issued plan"),
    create=extend_schema(
        summary="Record an issued draft or final plan (SQA officers and SAT staff)",
        description="The version number follows the child's previous plans of the same kind.",
    ),
)
@extend_schema(tags=["plans"])
class PlanViewSet(ScopedViewSet):
    serializer_class = PlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self) -> QuerySet[Plan]:
        return (
            access.plans.visible(self.request.user)
            .select_related("child")
            .order_by("-issued_on", "-version", "-id")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = serializer.validated_data
        child = _changeable_child(request, fields["child_id"])
        plan = services.plan_create(
            child=child,
            kind=fields["kind"],
            issued_on=fields["issued_on"],
            assessment=_own_row(
                child, "assessments", "assessment", fields.get("assessment_id"), "a needs assessment"
            ),
            review=_own_row(child, "reviews", "review", fields.get("review_id"), "an annual review"),
        )
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Annual reviews of the children the caller may see", description="Latest due first."
    ),
    retrieve=extend_schema(summary="One annual review, with its statutory deadlines"),
    create=extend_schema(
        summary="Schedule or record an annual review (SQA officers and SAT staff)",
        description="Without a due date the review is due on the child's next review date.",
    ),
    update=extend_schema(summary="Replace an annual review (SQA officers and SAT staff)"),
    partial_update=extend_schema(summary="Record a review's meeting, decision or amended plan"),
)
@extend_schema(tags=["reviews"])
class ReviewViewSet(mixins.UpdateModelMixin, ScopedViewSet):
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter

    def get_queryset(self) -> QuerySet[AnnualReview]:
        return access.reviews.visible(self.request.user).select_related("child").order_by("-due_on", "-id")

    def _save(self, child: Child, review: AnnualReview | None, fields: dict) -> AnnualReview:
        if "plan_id" in fields:
            fields["plan"] = _own_row(child, "plans", "plan", fields.pop("plan_id"), "a plan")
        return services.review_save(child=child, review=review, **fields)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        child = _changeable_child(request, fields.pop("child_id"))
        review = self._save(child, None, fields)
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        review = self.get_object()
        serializer = self.get_serializer(review, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        review = self._save(review.child, review, dict(serializer.validated_data))
        return Response(self.get_serializer(review).data)
