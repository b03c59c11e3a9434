"""Admin bases for superusers (support), not a way round QAF's own pages, and for versioned templates (audit
tools, feedback forms) whose approved and retired versions must never change: a subclass says how to find the
version an object belongs to, and the bases allow changes only while that version is a draft."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


def superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


class SuperuserAdmin(admin.ModelAdmin):
    """Superusers only; nothing is added here (the services make every row)."""

    def has_module_permission(self, request):
        return superuser(request)

    def has_view_permission(self, request, obj=None):
        return superuser(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return superuser(request)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(SuperuserAdmin):
    """Kept through QAF's own pages and services; the admin only shows it."""

    def has_change_permission(self, request, obj=None):
        return False


class FrozenAfterDraft:
    """Mixin: `version_of(obj)` is the version a row belongs to (None when it belongs to none); a row is frozen
    once that version is no longer a draft (versions have `is_editable`)."""

    @staticmethod
    def version_of(obj):
        raise NotImplementedError

    def is_frozen(self, obj) -> bool:
        version = self.version_of(obj) if obj is not None else None
        return version is not None and not version.is_editable


class DraftOnlyAdmin(FrozenAfterDraft, SuperuserAdmin):
    """Changes (and deletes) only while the version is a draft."""

    def has_change_permission(self, request, obj=None):
        return superuser(request) and not self.is_frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return superuser(request) and obj is not None and not self.is_frozen(obj)


class DraftOnlyInline(FrozenAfterDraft, admin.TabularInline):
    """Rows of a draft parent may be added, changed and removed; those of a frozen one are read-only."""

    extra = 0
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return superuser(request)

    def has_add_permission(self, request, obj=None):
        return superuser(request) and obj is not None and not self.is_frozen(obj)

    def has_change_permission(self, request, obj=None):
        return superuser(request) and obj is not None and not self.is_frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return superuser(request) and obj is not None and not self.is_frozen(obj)


class VersionsInline(admin.TabularInline):
    """A template's versions, shown read-only under it (number, status, when approved)."""

    fields = ["number", "status", "approved_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return superuser(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
