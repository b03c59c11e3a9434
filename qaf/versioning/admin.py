"""Admin bases for versioned templates, whose approved and retired versions must never change: a version and
the rows of its content may be changed (and deleted) only while the version is a draft.

Each admin says how to reach the version from its rows in `version_path` (dotted attributes, "" for the version
itself); an inline, from the object it is shown under.
"""

from __future__ import annotations

from operator import attrgetter

from django.contrib import admin

from qaf.admin import SuperuserAdmin, superuser
from qaf.versioning.models import TemplateVersion


class FrozenAfterDraft:
    """Mixin: a row is frozen once the version at `version_path` from it is no longer a draft."""

    version_path = ""

    def version_of(self, obj) -> TemplateVersion | None:
        return attrgetter(self.version_path)(obj) if self.version_path else obj

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
    readonly_fields = ["number", "status", "approved_at"]
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
