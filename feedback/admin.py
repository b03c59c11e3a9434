"""The feedback app in the Django admin: for superusers (support), not a way round QAF's own pages.

Feedback forms are built, approved and versioned on the form pages by SQA officers. Here a superuser may
correct a draft version, but an approved or retired version and its questions are read-only: nothing in the
admin can change or delete them, and a version's status is never edited here (approval goes through
feedback.services.forms).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from feedback.models import FeedbackForm, FeedbackFormVersion, FeedbackQuestion, FormVersionStatus


def _superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


def _version_of(obj) -> FeedbackFormVersion | None:
    if isinstance(obj, FeedbackFormVersion):
        return obj
    if isinstance(obj, FeedbackQuestion):
        return obj.version
    return None


def _frozen(obj) -> bool:
    """Is this a version (or a question of one) that is no longer a draft?"""
    version = _version_of(obj)
    return version is not None and version.status != FormVersionStatus.DRAFT


class SuperuserAdmin(admin.ModelAdmin):
    """Superusers only; nothing is added here (forms and versions are made by the services)."""

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


class VersionInline(admin.TabularInline):
    model = FeedbackFormVersion
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


@admin.register(FeedbackForm)
class FeedbackFormAdmin(SuperuserAdmin):
    list_display = ["name", "partnership", "audience", "easy_read"]
    list_filter = ["partnership", "audience"]
    search_fields = ["name"]
    readonly_fields = ["partnership", "created_at"]
    inlines = [VersionInline]


class QuestionInline(admin.TabularInline):
    """A draft version's questions may be added, changed and removed; a frozen one's are read-only."""

    model = FeedbackQuestion
    fields = ["page", "order", "code", "kind", "text", "required"]
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


@admin.register(FeedbackFormVersion)
class FeedbackFormVersionAdmin(DraftOnlyAdmin):
    list_display = ["__str__", "status", "approved_at"]
    list_filter = ["status", "form__partnership"]
    list_select_related = ["form"]
    fields = [
        "form",
        "number",
        "status",
        "title",
        "intro",
        "thank_you",
        "change_note",
        "created_by",
        "approved_by",
        "approved_at",
    ]
    readonly_fields = ["form", "number", "status", "created_by", "approved_by", "approved_at"]
    inlines = [QuestionInline]


@admin.register(FeedbackQuestion)
class FeedbackQuestionAdmin(DraftOnlyAdmin):
    list_display = ["__str__", "code", "version"]
    list_select_related = ["version__form"]
    fields = [
        "version",
        "code",
        "page",
        "order",
        "kind",
        "text",
        "hint",
        "options",
        "required",
        "image",
        "image_alt",
    ]
    readonly_fields = ["version"]
