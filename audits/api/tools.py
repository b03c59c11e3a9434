"""The `audit-tools` API resource: tools with their versions, sections and questions.

Reads are scoped by audits.access.tools.visible, exactly like the pages (a tool the caller may not see is a
404). Writes are for SQA officers (audits.access.tools.can(user, "manage"); others who can see the tool get a 403) and
go through audits.services.tools. A write to an approved or retired version is a 400 saying "An approved
version cannot be changed; make a new version".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from audits import access
from audits.api.caller import caller_partnership
from audits.models import AuditLevel, AuditTool, AuditToolVersion, ToolKind, ToolQuestion, ToolSection
from audits.selectors import tools as selectors
from audits.services import tools as services
from qaf.api.permissions import ChecksWrites
from qaf.api.viewsets import documented, signed_in
from qaf.models import User
from qaf.versioning.selectors import current_version

CHANGE_DENIED = "Only SQA officers may change audit tools."
NUMBER = OpenApiParameter(
    "number", OpenApiTypes.INT, OpenApiParameter.PATH, description="The version's number."
)


# --- shapes -----------------------------------------------------------------------------------------------


class ToolQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ToolQuestion
        fields = ["id", "text", "guidance", "order", "weight", "allow_not_applicable"]
        read_only_fields = fields


class ToolSectionSerializer(serializers.ModelSerializer):
    questions = ToolQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = ToolSection
        fields = ["id", "code", "title", "order", "weight", "questions"]
        read_only_fields = fields


class ScaleOptionSerializer(serializers.Serializer):
    value = serializers.CharField(
        max_length=10, required=False, help_text="What an answer stores; defaults to the score."
    )
    # A declared field named "label": the stubs take it for Field.label, the field's own label text.
    label = serializers.CharField(max_length=60)  # type: ignore[assignment]
    score = serializers.IntegerField(min_value=0, max_value=services.MAX_SCORE, help_text="Higher is better.")


class ToolVersionSerializer(serializers.ModelSerializer):
    scale = ScaleOptionSerializer(many=True, read_only=True)
    is_editable = serializers.BooleanField(read_only=True, help_text="Only a draft can be changed.")
    sections = ToolSectionSerializer(many=True, read_only=True)

    class Meta:
        model = AuditToolVersion
        fields = [
            "id",
            "number",
            "status",
            "is_editable",
            "scale",
            "change_note",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "sections",
        ]
        read_only_fields = fields


class AuditToolSerializer(serializers.ModelSerializer):
    levels = serializers.ListField(
        child=serializers.ChoiceField(choices=AuditLevel.choices),
        allow_empty=False,
        help_text="The audit levels (1 to 4) the tool serves.",
    )
    current_version = serializers.SerializerMethodField()
    versions = ToolVersionSerializer(many=True, read_only=True)

    class Meta:
        model = AuditTool
        fields = ["id", "name", "kind", "description", "levels", "created_at", "current_version", "versions"]
        read_only_fields = ["id", "created_at"]

    @extend_schema_field(
        serializers.IntegerField(allow_null=True, help_text="The approved version's number.")
    )
    def get_current_version(self, tool: AuditTool) -> int | None:
        current = current_version(tool)
        return current.number if current else None


class QuestionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    guidance = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, default=Decimal(1))
    allow_not_applicable = serializers.BooleanField(required=False, default=True)


class SectionInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, default=Decimal(1))
    questions = QuestionInputSerializer(many=True, required=False, default=list)


class VersionContentSerializer(serializers.Serializer):
    """A draft version's whole content; it replaces what the draft had."""

    scale = ScaleOptionSerializer(many=True, required=False, help_text="Leave out to keep the scale.")
    change_note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    sections = SectionInputSerializer(many=True)


class NewVersionSerializer(serializers.Serializer):
    change_note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


# --- filters and permissions ------------------------------------------------------------------------------


class AuditToolFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ToolKind.choices)
    level = filters.ChoiceFilter(
        choices=AuditLevel.choices, method="filter_level", label="Tools serving this level (1 to 4)"
    )

    class Meta:
        model = AuditTool
        fields: list[str] = []

    def filter_level(self, queryset: QuerySet[AuditTool], name: str, value) -> QuerySet[AuditTool]:
        return selectors.tools_filtered(queryset, level=int(value))


class ManageTools(ChecksWrites):
    """Reads for whoever can see the tool (the queryset decides); writes for SQA officers. A new tool needs
    the right at once; writes to an existing tool are checked after the scoped lookup (404 before 403)."""

    message = CHANGE_DENIED

    def may_create(self, request: Request, view) -> bool:
        return access.tools.can(request.user, "manage")

    def may_change(self, request: Request, obj) -> bool:
        return access.tools.can(request.user, "manage")


# --- the resource -----------------------------------------------------------------------------------------


def _version_action(methods: list[Literal["get", "put", "post", "delete"]], then: str = ""):
    """A router action on one version of a tool: `versions/<number>/`, followed by `then` (like "/approve")."""
    return action(
        detail=True,
        methods=methods,
        url_path=r"versions/(?P<number>[0-9]+)" + then,
        serializer_class=ToolVersionSerializer,
    )


@documented(
    "audit tools",
    list="Audit tools the caller may see, with every version and its content",
    retrieve="One audit tool, with every version and its content",
    create="Build a new tool (SQA officers); it starts with an empty draft version 1",
    update="Change a tool's name, kind, description and levels (SQA officers)",
    partial_update="Change some of a tool's details (SQA officers)",
)
class AuditToolViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AuditToolSerializer
    filterset_class = AuditToolFilter
    permission_classes = [IsAuthenticated, ManageTools]

    def get_queryset(self) -> QuerySet[AuditTool]:
        user = self.request.user
        if not isinstance(user, User):  # the schema generator asks without a caller
            return AuditTool.objects.none()
        return selectors.tools_with_content(user)

    def _tool_response(self, tool: AuditTool, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=tool.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _version(self, number: str) -> AuditToolVersion:
        tool = self.get_object()  # 404 if hidden, then 403 for a write the caller may not make
        for version in tool.versions.all():
            if version.number == int(number):
                return version
        raise NotFound("This tool has no such version.")

    def _version_response(self, version: AuditToolVersion, code: int = status.HTTP_200_OK) -> Response:
        fresh = AuditToolVersion.objects.prefetch_related(selectors.sections_with_questions()).get(
            pk=version.pk
        )
        return Response(ToolVersionSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tool = services.tool_create(
            partnership=caller_partnership(request, CHANGE_DENIED),
            user=signed_in(request),
            **serializer.validated_data,
        )
        return self._tool_response(tool, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        tool = self.get_object()
        serializer = self.get_serializer(tool, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        fields = {
            "name": tool.name,
            "kind": tool.kind,
            "description": tool.description,
            "levels": tool.levels,
            **serializer.validated_data,
        }
        return self._tool_response(services.tool_update(tool=tool, **fields))

    @extend_schema(methods=["GET"], summary="One version of a tool, with its content", parameters=[NUMBER])
    @extend_schema(
        methods=["PUT"],
        summary="Replace a draft version's sections and questions (SQA officers; drafts only)",
        description="An approved or retired version cannot be changed: the answer is a 400.",
        request=VersionContentSerializer,
        parameters=[NUMBER],
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Discard a draft version no audit used (SQA officers)",
        parameters=[NUMBER],
    )
    @_version_action(["get", "put", "delete"])
    def version(self, request: Request, pk=None, number: str = "") -> Response:
        version = self._version(number)
        if request.method == "DELETE":
            services.tool_version_discard(version=version)
            return Response(status=status.HTTP_204_NO_CONTENT)
        if request.method == "PUT":
            content = VersionContentSerializer(data=request.data)
            content.is_valid(raise_exception=True)
            services.tool_version_content_replace(version=version, **content.validated_data)
        return self._version_response(version)

    @extend_schema(
        summary="Approve a draft version (SQA officers); the previous approved version is retired",
        request=None,
        parameters=[NUMBER],
    )
    @_version_action(["post"], "/approve")
    def approve(self, request: Request, pk=None, number: str = "") -> Response:
        version = services.tool_version_approve(version=self._version(number), user=signed_in(request))
        return self._version_response(version)

    @extend_schema(
        summary="Make a new draft version copied from this one (SQA officers)",
        request=NewVersionSerializer,
        responses={201: ToolVersionSerializer},
        parameters=[NUMBER],
    )
    @_version_action(["post"], "/new-version")
    def new_version(self, request: Request, pk=None, number: str = "") -> Response:
        version = self._version(number)
        body = NewVersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = services.tool_version_new_from(version=version, user=signed_in(request), **body.validated_data)
        return self._version_response(new, status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this module's viewsets to the router."""
    router.register("audit-tools", AuditToolViewSet, basename="api-audit-tool")
