"""Read-only representations of complaints and compliments. No names: a child is its case reference."""

from __future__ import annotations

from rest_framework import serializers

from feedback.models import (
    Complaint,
    ComplaintCategory,
    ComplaintOutcome,
    ComplaintStage,
    Compliment,
    ComplimentFrom,
)


class ComplaintSerializer(serializers.ModelSerializer):
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    child = serializers.IntegerField(source="child_id", read_only=True, allow_null=True)
    child_case_reference = serializers.CharField(
        source="child.case_reference", read_only=True, allow_null=True
    )
    category = serializers.CharField(read_only=True, help_text=", ".join(ComplaintCategory.values))
    stage = serializers.CharField(read_only=True, help_text=", ".join(ComplaintStage.values))
    outcome = serializers.CharField(
        read_only=True, help_text=", ".join(ComplaintOutcome.values) + "; blank until decided"
    )
    themes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "agency",
            "agency_name",
            "child",
            "child_case_reference",
            "received_on",
            "category",
            "stage",
            "summary",
            "response_working_days",
            "response_days_reason",
            "response_due_on",
            "responded_on",
            "outcome",
            "lgsco_reference",
            "lgsco_outcome",
            "remedy",
            "themes",
            "learning",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ComplimentSerializer(serializers.ModelSerializer):
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    from_whom = serializers.CharField(read_only=True, help_text=", ".join(ComplimentFrom.values))
    themes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Compliment
        fields = [
            "id",
            "agency",
            "agency_name",
            "received_on",
            "about",
            "from_whom",
            "summary",
            "themes",
            "created_at",
        ]
        read_only_fields = fields
