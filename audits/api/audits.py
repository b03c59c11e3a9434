"""The `audits` API resource: audits with their answers, section grades, moderations, panel and case review.

Read-only for now (audits are written through the pages). Every list and detail is scoped by
audits.access.audits.visible, the queryset the pages use: an audit the caller may not see is a 404. The filters are
the audit list page's (audits.filters).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from audits import access
from audits.filters import AuditFilterSet
from audits.models import (
    Audit,
    AuditAnswer,
    AuditAssignment,
    AuditKind,
    AuditSectionResult,
    AuditStatus,
    CaseReviewRecord,
    Level2Form,
    Moderation,
    ModerationSectionGrade,
    PanelMember,
)
from audits.models.audits import PlanStage
from ehcp.api.serializers import ChildReferenceFields
from qaf.api.serializers import AgencyFields, ThemeIdsField
from qaf.api.viewsets import ReadOnlyPolicyViewSet, documented

# Grades, levels and kinds are plain values here, not schema enums: other resources use the same choice sets
# under other names, and the schema must stay free of enum-naming warnings.
GRADE_HELP = "outstanding, good, requires_improvement or inadequate; blank when not graded."


def _grade(help_text: str = GRADE_HELP) -> serializers.CharField:
    return serializers.CharField(read_only=True, help_text=help_text)


class AuditAssigneeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = AuditAssignment
        fields = ["id", "name", "assigned_at"]


class AuditPanelMemberSerializer(AgencyFields, serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = PanelMember
        fields = ["id", "name", "agency", "agency_name", "added_at"]


class AuditAnswerSerializer(serializers.ModelSerializer):
    question = serializers.IntegerField(source="question_id", read_only=True)
    section = serializers.IntegerField(source="question.section_id", read_only=True)
    value = serializers.CharField(
        read_only=True, help_text='A value of the tool version\'s scale, "na" (not applicable) or blank.'
    )

    class Meta:
        model = AuditAnswer
        fields = ["question", "section", "value", "evidence", "updated_at"]


class AuditSectionResultSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section_id", read_only=True)
    code = serializers.CharField(source="section.code", read_only=True)
    title = serializers.CharField(source="section.title", read_only=True)
    computed_grade = _grade()
    override_grade = _grade("The auditor's grade, when they changed the computed one; else blank.")
    grade = _grade("The section's grade: the override if any, else the computed grade.")

    class Meta:
        model = AuditSectionResult
        fields = [
            "section",
            "code",
            "title",
            "score",
            "computed_grade",
            "override_grade",
            "override_reason",
            "grade",
        ]


class AuditModerationSectionGradeSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section_id", read_only=True)
    grade = _grade()

    class Meta:
        model = ModerationSectionGrade
        fields = ["section", "grade"]


class AuditModerationSerializer(serializers.ModelSerializer):
    moderator = serializers.IntegerField(source="moderator_id", read_only=True)
    overall_grade = _grade()
    section_grades = AuditModerationSectionGradeSerializer(many=True, read_only=True)

    class Meta:
        model = Moderation
        fields = ["id", "moderator", "overall_grade", "notes", "section_grades", "created_at"]


class AuditCaseReviewSerializer(serializers.ModelSerializer):
    lead_board_member = serializers.IntegerField(source="lead_board_member_id", read_only=True)
    has_consent = serializers.BooleanField(read_only=True)

    class Meta:
        model = CaseReviewRecord
        fields = [
            "lead_board_member",
            "has_consent",
            "consent_given_by",
            "consent_given_on",
            "consent_how",
            "met_on",
            "child_views",
            "ambitions",
            "barriers",
            "family_views",
        ]


class AuditSerializer(AgencyFields, ChildReferenceFields, ThemeIdsField, serializers.ModelSerializer):
    level = serializers.IntegerField(read_only=True, help_text="The EHCP audit level, 1 to 4.")
    kind = serializers.CharField(read_only=True, help_text=", ".join(k.value for k in AuditKind))
    tool = serializers.IntegerField(source="tool_version.tool_id", read_only=True)
    tool_name = serializers.CharField(source="tool_version.tool.name", read_only=True)
    tool_version = serializers.IntegerField(
        source="tool_version_id", read_only=True, help_text="The exact tool version this audit used."
    )
    tool_version_number = serializers.IntegerField(source="tool_version.number", read_only=True)
    plan = serializers.IntegerField(source="plan_id", read_only=True, allow_null=True)
    review = serializers.IntegerField(source="review_id", read_only=True, allow_null=True)
    reaudit_of = serializers.IntegerField(source="reaudit_of_id", read_only=True, allow_null=True)
    level2_form = serializers.ChoiceField(choices=Level2Form.choices, read_only=True)
    plan_stage = serializers.ChoiceField(choices=PlanStage.choices, read_only=True)
    status = serializers.ChoiceField(choices=AuditStatus.choices, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, help_text="Open and past its due date.")
    computed_grade = _grade()
    override_grade = _grade("The auditor's grade, when they changed the computed one; else blank.")
    overall_grade = _grade("The auditor's grade: the override if any, else the computed grade.")
    grade_of_record = _grade(
        "The grade that counts in lists, figures and reports: the moderator's overall grade where the audit "
        "has been moderated since its last submission, else the auditor's (overall_grade)."
    )
    assignees = AuditAssigneeSerializer(source="assignments", many=True, read_only=True)
    panel_members = AuditPanelMemberSerializer(many=True, read_only=True)
    answers = AuditAnswerSerializer(many=True, read_only=True)
    section_results = AuditSectionResultSerializer(many=True, read_only=True)
    moderations = AuditModerationSerializer(many=True, read_only=True)
    case_review = serializers.SerializerMethodField()

    class Meta:
        model = Audit
        fields = [
            "id",
            "level",
            "kind",
            "title",
            "tool",
            "tool_name",
            "tool_version",
            "tool_version_number",
            "agency",
            "agency_name",
            "child",
            "child_case_reference",
            "plan",
            "review",
            "level2_form",
            "plan_stage",
            "themes",
            "status",
            "due_on",
            "is_overdue",
            "reaudit_of",
            "assignees",
            "panel_members",
            "strengths",
            "areas_for_development",
            "computed_grade",
            "override_grade",
            "override_reason",
            "overall_grade",
            "grade_of_record",
            "answers",
            "section_results",
            "moderations",
            "case_review",
            "started_at",
            "submitted_at",
            "moderated_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AuditCaseReviewSerializer(allow_null=True, read_only=True))
    def get_case_review(self, audit: Audit) -> dict | None:
        """Level 4 only: the lead board member, consent and the meeting (null elsewhere or before set-up)."""
        if not hasattr(audit, "case_review"):
            return None
        return AuditCaseReviewSerializer(audit.case_review, context=self.context).data


@documented(
    "audits",
    list=(
        "Audits the caller may see",
        "Latest due first, each with its answers, section grades, moderations, panel and case "
        "review. Filters as on the audit list page.",
    ),
    retrieve="One audit, with its answers and grades",
)
class AuditViewSet(ReadOnlyPolicyViewSet):
    serializer_class = AuditSerializer
    filterset_class = AuditFilterSet
    policy = access.audits
    select_related = ("child", "agency", "tool_version__tool", "case_review")
    ordering = ("-due_on", "-pk")

    def get_queryset(self) -> QuerySet[Audit]:
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "assignments", queryset=AuditAssignment.objects.select_related("user").order_by("pk")
                ),
                Prefetch(
                    "panel_members",
                    queryset=PanelMember.objects.select_related("user", "agency").order_by("pk"),
                ),
                "themes",
                Prefetch(
                    "answers",
                    queryset=AuditAnswer.objects.select_related("question").order_by(
                        "question__section__order", "question__order", "question_id"
                    ),
                ),
                Prefetch(
                    "section_results",
                    queryset=AuditSectionResult.objects.select_related("section").order_by(
                        "section__order", "pk"
                    ),
                ),
                Prefetch(
                    "moderations",
                    queryset=Moderation.objects.prefetch_related("section_grades").order_by("-created_at"),
                ),
            )
        )


def register(router) -> None:
    """Add this module's viewsets to the router."""
    router.register("audits", AuditViewSet, basename="api-audit")
