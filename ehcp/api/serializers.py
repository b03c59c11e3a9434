"""Shapes of children, needs assessments, plans and annual reviews in the API.

Serializers only check the shape of input; every write goes through ehcp.services (the views call them),
and ids of related rows are looked up inside the caller's partnership only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan
from ehcp.timeliness import KEY_STAGES
from qaf.access import user_access
from qaf.models import Agency, User

DEADLINE_STATUSES = [
    ("met", "On time"),
    ("late", "Late"),
    ("overdue", "Overdue"),
    ("due", "Due"),
]


class PartnershipPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id that must name a row of the caller's partnership; others read as "does not exist"."""

    def get_queryset(self) -> QuerySet[Any] | None:
        rows = super().get_queryset()
        if rows is None:  # a read-only field, which chooses nothing
            return None
        request = self.context.get("request")
        partnership_id = user_access(request.user).partnership_id if request else None
        if partnership_id is None:
            return rows.none()
        return rows.filter(partnership_id=partnership_id)


# The child a row is about, if any: its id (`child`) and case reference (`child_case_reference`), both null
# when there is none. A serializer takes them by naming this class among its bases (a comment, not a docstring:
# drf-spectacular would take a docstring for the description of each serializer's schema component).
class ChildReferenceFields(serializers.Serializer):
    child = serializers.IntegerField(source="child_id", read_only=True, allow_null=True)
    child_case_reference = serializers.CharField(
        source="child.case_reference", read_only=True, allow_null=True
    )


# A record of one child whose `child` is given when it is created and cannot change after: read-only when the
# serializer checks a change to an existing record (a comment, not a docstring: see ChildReferenceFields).
class ChildFixedOnceCreated(serializers.Serializer):
    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["child"].read_only = True
        return fields


class DeadlineSerializer(serializers.Serializer):
    """One statutory step (ehcp.timeliness.Deadline)."""

    # A declared field, which the serializer's metaclass takes out of the class: it does not replace Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    starts_on = serializers.DateField(help_text="When the statutory clock for this step started.")
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=DEADLINE_STATUSES)
    working_days_late = serializers.IntegerField(
        help_text="Working days past the due date, at completion if done, else up to today; 0 when in time."
    )


class AssessmentSerializer(ChildFixedOnceCreated, serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", help_text="The child's id; cannot change later.")
    decision_due_on = serializers.DateField(read_only=True)
    final_plan_due_on = serializers.DateField(read_only=True)
    weeks_to_final_plan = serializers.FloatField(read_only=True, allow_null=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = NeedsAssessment
        fields = [
            "id",
            "child",
            "requested_on",
            "decision_on",
            "will_assess",
            "exception",
            "exception_notes",
            "final_plan_issued_on",
            "decision_due_on",
            "final_plan_due_on",
            "weeks_to_final_plan",
            "deadlines",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class ChildSerializer(serializers.ModelSerializer):
    agencies = PartnershipPrimaryKeyField(
        many=True, required=False, queryset=Agency.objects.all(), help_text="Ids of the agencies involved."
    )
    caseworker = PartnershipPrimaryKeyField(
        required=False, allow_null=True, queryset=User.objects.all(), help_text="Id of the SAT caseworker."
    )
    key_stage = serializers.ChoiceField(choices=KEY_STAGES, read_only=True)
    year_group = serializers.IntegerField(
        read_only=True, help_text="National curriculum year; reception is 0."
    )
    review_overdue = serializers.BooleanField(source="review_is_overdue", read_only=True)
    latest_assessment = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = [
            "id",
            "case_reference",
            "initials",
            "date_of_birth",
            "primary_need",
            "setting_type",
            "looked_after",
            "child_in_need",
            "agencies",
            "caseworker",
            "key_stage",
            "year_group",
            "next_review_due_on",
            "review_overdue",
            "plan_ended_on",
            "plan_end_reason",
            "latest_assessment",
        ]
        read_only_fields = ["id", "next_review_due_on"]

    @extend_schema_field(AssessmentSerializer(allow_null=True, read_only=True))
    def get_latest_assessment(self, child: Child) -> dict | None:
        # Lists prefetch the assessments newest first (ChildViewSet.get_queryset); a single child
        # just written has no prefetch and costs one query.
        newest_first = getattr(child, "assessments_newest_first", None)
        if newest_first is None:
            newest_first = list(child.assessments.order_by("-requested_on", "-id")[:1])
        if not newest_first:
            return None
        return AssessmentSerializer(newest_first[0], context=self.context).data


class PlanSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", help_text="The child's id.")
    child_case_reference = serializers.CharField(source="child.case_reference", read_only=True)
    assessment = serializers.IntegerField(
        source="assessment_id",
        required=False,
        allow_null=True,
        help_text="The needs assessment this plan followed, if any (one of the child's).",
    )
    review = serializers.IntegerField(
        source="review_id",
        required=False,
        allow_null=True,
        help_text="The annual review this plan was amended after, if any (one of the child's).",
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "child",
            "child_case_reference",
            "kind",
            "version",
            "issued_on",
            "assessment",
            "review",
            "created_at",
        ]
        read_only_fields = ["id", "version", "created_at"]


class ReviewSerializer(ChildFixedOnceCreated, serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", help_text="The child's id; cannot change later.")
    child_case_reference = serializers.CharField(source="child.case_reference", read_only=True)
    plan = serializers.IntegerField(
        source="plan_id",
        required=False,
        allow_null=True,
        help_text="The plan reviewed (one of the child's); defaults to the child's latest final plan.",
    )
    is_overdue = serializers.BooleanField(read_only=True, help_text="Due date passed and no meeting held.")
    deadlines = DeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualReview
        fields = [
            "id",
            "child",
            "child_case_reference",
            "plan",
            "due_on",
            "meeting_on",
            "decision_on",
            "decision",
            "amended_plan_issued_on",
            "is_overdue",
            "deadlines",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "due_on": {"required": False, "help_text": "Defaults to the child's next review date."},
        }
