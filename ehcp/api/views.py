"""API views of children, needs assessments, plans and annual reviews.

Every list and detail is scoped by ehcp.access (the same querysets the pages use): an object the caller
may not see is a 404. Writes are for those ehcp.access.children.can(user, "change") allows (SQA officers and SAT staff); a
caller who may see an object but not change it gets a 403. Writes go through ehcp.services, whose
ValidationErrors become 400s with field names.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from ehcp import access, services
from ehcp.api.serializers import AssessmentSerializer, ChildSerializer, PlanSerializer, ReviewSerializer
from ehcp.filters import AssessmentFilter, ChildFilterSet, PlanFilter, ReviewFilter
from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan
from qaf.access import partnership_for
from qaf.api.permissions import ChecksWrites
from qaf.api.viewsets import ReadOnlyPolicyViewSet, ServiceCreateMixin, ServiceUpdateMixin, documented
from qaf.models import Agency

CHANGE_DENIED = "Only SQA officers and statutory assessment team staff may change children's records."


def _child_of(obj: Child | NeedsAssessment | Plan | AnnualReview) -> Child:
    return obj if isinstance(obj, Child) else obj.child


class ChangeChildRecords(ChecksWrites):
    """Reads for whoever can see the row (the queryset decides); writes per ehcp.access.children.can(user, "change").

    New children need can_change at once. New assessments, plans and reviews name their child in the
    body, so the view checks it after finding the child (404 first, then 403); changes to an existing
    row are checked here once the scoped lookup has found it.
    """

    message = CHANGE_DENIED

    def may_create(self, request: Request, view: APIView) -> bool:
        return not isinstance(view, ChildViewSet) or access.children.can(request.user, "change")

    def may_change(self, request: Request, obj: Child | NeedsAssessment | Plan | AnnualReview) -> bool:
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


class ScopedViewSet(ServiceCreateMixin, ReadOnlyPolicyViewSet):
    """List, retrieve and create; subclasses scope get_queryset through ehcp.access and write via services."""

    permission_classes = [IsAuthenticated, ChangeChildRecords]


@documented(
    "children",
    list=("Children the caller may see", "Ordered by case reference."),
    retrieve="One child",
    create="Add a child (SQA officers and SAT staff)",
    update="Replace a child's record (SQA officers and SAT staff)",
    partial_update="Change a child's record (SQA officers and SAT staff)",
)
class ChildViewSet(ServiceUpdateMixin, ScopedViewSet):
    """Children, ordered by case reference; filters as on the children page (ehcp.selectors)."""

    serializer_class = ChildSerializer
    filterset_class = ChildFilterSet
    policy = access.children
    ordering = ("case_reference", "id")

    def get_queryset(self) -> QuerySet[Child]:
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("agencies", queryset=Agency.objects.only("id")),
                Prefetch(
                    "assessments",
                    queryset=NeedsAssessment.objects.order_by("-requested_on", "-id"),
                    to_attr="assessments_newest_first",
                ),
            )
        )

    def perform_service_create(self, request: Request, data: dict[str, Any]) -> Child:
        agencies = data.pop("agencies", [])
        partnership = partnership_for(request.user)
        if partnership is None:  # adding children needs a partnership: ChangeChildRecords has already refused
            raise PermissionDenied(CHANGE_DENIED)
        return services.child_create(partnership=partnership, agencies=agencies, **data)

    def perform_service_update(self, request: Request, row: Child, data: dict[str, Any]) -> Child:
        agencies = data.pop("agencies", None)
        return _fresh(services.child_update(child=row, agencies=agencies, **data))


@documented(
    "assessments",
    list="Needs assessments of the children the caller may see",
    retrieve="One needs assessment",
    create="Record a needs assessment (SQA officers and SAT staff)",
    update="Replace a needs assessment (SQA officers and SAT staff)",
    partial_update="Change a needs assessment (SQA officers and SAT staff)",
)
class AssessmentViewSet(ServiceUpdateMixin, ScopedViewSet):
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    policy = access.assessments
    select_related = ("child",)
    ordering = ("-requested_on", "-id")

    def perform_service_create(self, request: Request, data: dict[str, Any]) -> NeedsAssessment:
        child = _changeable_child(request, data.pop("child_id"))
        return services.assessment_save(child=child, **data)

    def perform_service_update(
        self, request: Request, row: NeedsAssessment, data: dict[str, Any]
    ) -> NeedsAssessment:
        return services.assessment_save(child=row.child, assessment=row, **data)


@documented(
    "plans",
    list=("Plans of the children the caller may see", "Newest first."),
    retrieve="One issued plan",
    create=(
        "Record an issued draft or final plan (SQA officers and SAT staff)",
        "The version number follows the child's previous plans of the same kind.",
    ),
)
class PlanViewSet(ScopedViewSet):
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    policy = access.plans
    select_related = ("child",)
    ordering = ("-issued_on", "-version", "-id")

    def perform_service_create(self, request: Request, data: dict[str, Any]) -> Plan:
        child = _changeable_child(request, data["child_id"])
        return services.plan_create(
            child=child,
            kind=data["kind"],
            issued_on=data["issued_on"],
            assessment=_own_row(
                child, "assessments", "assessment", data.get("assessment_id"), "a needs assessment"
            ),
            review=_own_row(child, "reviews", "review", data.get("review_id"), "an annual review"),
        )


@documented(
    "reviews",
    list=("Annual reviews of the children the caller may see", "Latest due first."),
    retrieve="One annual review, with its statutory deadlines",
    create=(
        "Schedule or record an annual review (SQA officers and SAT staff)",
        "Without a due date the review is due on the child's next review date.",
    ),
    update="Replace an annual review (SQA officers and SAT staff)",
    partial_update="Record a review's meeting, decision or amended plan",
)
class ReviewViewSet(ServiceUpdateMixin, ScopedViewSet):
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    policy = access.reviews
    select_related = ("child",)
    ordering = ("-due_on", "-id")

    def _save(self, child: Child, review: AnnualReview | None, fields: dict) -> AnnualReview:
        if "plan_id" in fields:
            fields["plan"] = _own_row(child, "plans", "plan", fields.pop("plan_id"), "a plan")
        return services.review_save(child=child, review=review, **fields)

    def perform_service_create(self, request: Request, data: dict[str, Any]) -> AnnualReview:
        child = _changeable_child(request, data.pop("child_id"))
        return self._save(child, None, data)

    def perform_service_update(
        self, request: Request, row: AnnualReview, data: dict[str, Any]
    ) -> AnnualReview:
        return self._save(row.child, row, data)
