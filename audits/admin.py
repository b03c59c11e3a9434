"""The audit engine in the Django admin: for superusers (support), not a way round QAF's own pages.

Audit tools are built, approved and versioned on the tool pages by SQA officers. Here a superuser may correct
a draft version, but an approved or retired version, its sections and its questions are read-only: nothing in
the admin can change or delete them, and a version's status is never edited here (approval goes through
audits.services.tools). Every other audit model is registered read-only.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

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
    Sample,
    SampleItem,
    ToolQuestion,
    ToolSection,
    ToolVersionStatus,
)


def _superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


def _version_of(obj) -> AuditToolVersion | None:
    if isinstance(obj, AuditToolVersion):
        return obj
    if isinstance(obj, ToolSection):
        return obj.version
    if isinstance(obj, ToolQuestion):
        return obj.section.version
    return None


def _frozen(obj) -> bool:
    """Is this a version (or a section or question of one) that is no longer a draft?"""
    version = _version_of(obj)
    return version is not None and version.status != ToolVersionStatus.DRAFT


class SuperuserAdmin(admin.ModelAdmin):
    """Superusers only; nothing is added here (tools and versions are made by the services)."""

    def has_module_permission(self, request):
        return _superuser(request)

    def has_view_permission(self, request, obj=None):
        return _superuser(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return _superuser(request)

    def has_delete_permission(self, request, obj=None):
        return False


class DraftOnlyAdmin(SuperuserAdmin):
    """Changes (and deletes) only while the version is a draft."""

    def has_change_permission(self, request, obj=None):
        return _superuser(request) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return _superuser(request) and obj is not None and not _frozen(obj)


class DraftOnlyInline(admin.TabularInline):
    """Rows of a draft parent may be added, changed and removed; those of a frozen one are read-only."""

    extra = 0
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return _superuser(request)

    def has_add_permission(self, request, obj=None):
        return _superuser(request) and obj is not None and not _frozen(obj)

    def has_change_permission(self, request, obj=None):
        return _superuser(request) and obj is not None and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return _superuser(request) and obj is not None and not _frozen(obj)


class VersionInline(admin.TabularInline):
    model = AuditToolVersion
    fields = ["number", "status", "approved_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return _superuser(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    fields = ["order", "text", "guidance", "weight", "allow_not_applicable"]


@admin.register(ToolSection)
class ToolSectionAdmin(DraftOnlyAdmin):
    list_display = ["__str__", "version"]
    list_select_related = ["version__tool"]
    fields = ["version", "order", "code", "title", "weight"]
    readonly_fields = ["version"]
    inlines = [QuestionInline]


@admin.register(ToolQuestion)
class ToolQuestionAdmin(DraftOnlyAdmin):
    list_display = ["__str__", "section"]
    list_select_related = ["section__version__tool"]
    fields = ["section", "order", "text", "guidance", "weight", "allow_not_applicable"]
    readonly_fields = ["section"]


class ReadOnlyAdmin(SuperuserAdmin):
    """Kept through QAF's own pages and services; the admin only shows it."""

    def has_change_permission(self, request, obj=None):
        return False


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
):
    admin.site.register(model, ReadOnlyAdmin)


# --- case escalations: read-only, and never deleted (not even by a superuser) ---------------------------
from audits.models import Escalation, EscalationEvent, SafeguardingConcern  # noqa: E402


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agency", "status", "raised_at", "acknowledge_by"]
    list_select_related = ["agency"]

    def has_delete_permission(self, request, obj=None):
        return False


for model in (EscalationEvent, SafeguardingConcern):
    admin.site.register(model, ReadOnlyAdmin)
