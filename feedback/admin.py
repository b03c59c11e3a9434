"""The feedback app in the Django admin: for superusers (support), not a way round QAF's own pages.

Feedback forms are built, approved and versioned on the form pages by SQA officers. Here a superuser may
correct a draft version, but an approved or retired version and its questions are read-only: nothing in the
admin can change or delete them, and a version's status is never edited here (approval goes through
feedback.services.forms).
"""

from __future__ import annotations

from django.contrib import admin

from feedback.models import FeedbackForm, FeedbackFormVersion, FeedbackQuestion
from qaf.admin import SuperuserAdmin
from qaf.versioning.admin import DraftOnlyAdmin, DraftOnlyInline, VersionsInline


class VersionInline(VersionsInline):
    model = FeedbackFormVersion


@admin.register(FeedbackForm)
class FeedbackFormAdmin(SuperuserAdmin):
    list_display = ["name", "partnership", "audience", "easy_read", "retired_at"]
    list_filter = ["partnership", "audience"]
    search_fields = ["name"]
    # What a form is for, its defaults and retiring it are set on the form's page, where the rules are kept.
    readonly_fields = ["partnership", "created_at", "meeting_kinds", "retired_at", "retired_by"]
    inlines = [VersionInline]


class QuestionInline(DraftOnlyInline):
    """A draft version's questions may be added, changed and removed; a frozen one's are read-only."""

    model = FeedbackQuestion
    fields = ["page", "order", "code", "kind", "text", "required"]


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
    version_path = "version"
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
