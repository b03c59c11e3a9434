"""The audit engine in the Django admin: for superusers (support), not a way round QAF's own pages.

Audit tools are built, approved and versioned on the tool pages by SQA officers. Here a superuser may correct
a draft version, but an approved or retired version, its sections and its questions are read-only: nothing in
the admin can change or delete them, and a version's status is never edited here (approval goes through
audits.services.tools). Every other audit model is registered read-only.
"""

from __future__ import annotations

from django.contrib import admin

from audits.models import (
    Audit,
    AuditAnswer,
    AuditAssignment,
    AuditEvent,
    AuditPlan,
    AuditSectionResult,
    AuditTool,
    AuditToolVersion,
    AuditUserObjectPermission,
    CaseReviewRecord,
    Moderation,
    ModerationSectionGrade,
    PanelMember,
    PlannedActivity,
    SafeguardingConcern,
    Sample,
    SampleItem,
    ToolQuestion,
    ToolSection,
)
from qaf.admin import ReadOnlyAdmin, SuperuserAdmin
from qaf.versioning.admin import DraftOnlyAdmin, DraftOnlyInline, VersionsInline


class VersionInline(VersionsInline):
    model = AuditToolVersion


@admin.register(AuditTool)
class AuditToolAdmin(SuperuserAdmin):
    list_display = ["name", "partnership", "kind", "levels"]
    list_filter = ["partnership", "kind"]
    search_fields = ["name"]
    readonly_fields = ["partnership", "created_at"]
    inlines = [VersionInline]


class SectionInline(DraftOnlyInline):
    model = ToolSection
    fields = ["order", "code", "title", "weight"]


@admin.register(AuditToolVersion)
class AuditToolVersionAdmin(DraftOnlyAdmin):
    list_display = ["__str__", "status", "approved_at"]
    list_filter = ["status", "tool__partnership"]
    list_select_related = ["tool"]
    fields = ["tool", "number", "status", "scale", "change_note", "created_by", "approved_by", "approved_at"]
    readonly_fields = ["tool", "number", "status", "created_by", "approved_by", "approved_at"]
    inlines = [SectionInline]


class QuestionInline(DraftOnlyInline):
    model = ToolQuestion
    version_path = "version"  # shown under a section
    fields = ["order", "text", "guidance", "weight", "allow_not_applicable"]


@admin.register(ToolSection)
class ToolSectionAdmin(DraftOnlyAdmin):
    version_path = "version"
    list_display = ["__str__", "version"]
    list_select_related = ["version__tool"]
    fields = ["version", "order", "code", "title", "weight"]
    readonly_fields = ["version"]
    inlines = [QuestionInline]


@admin.register(ToolQuestion)
class ToolQuestionAdmin(DraftOnlyAdmin):
    version_path = "section.version"
    list_display = ["__str__", "section"]
    list_select_related = ["section__version__tool"]
    fields = ["section", "order", "text", "guidance", "weight", "allow_not_applicable"]
    readonly_fields = ["section"]


for model in (
    AuditPlan,
    PlannedActivity,
    Audit,
    AuditAssignment,
    PanelMember,
    AuditAnswer,
    AuditSectionResult,
    CaseReviewRecord,
    AuditEvent,
    Moderation,
    ModerationSectionGrade,
    Sample,
    SampleItem,
    AuditUserObjectPermission,
    SafeguardingConcern,
):
    admin.site.register(model, ReadOnlyAdmin)
