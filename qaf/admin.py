"""Django admin for the partnership admin: agencies, teams, people and their roles, the calendar, themes; and
the bases every app's admin uses for superusers (support), which are not a way round QAF's own pages.

A partnership admin (staff, with the partnership_admin role) manages their own partnership only; every
list, choice and save is scoped to it. Superusers see every partnership.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from qaf import services
from qaf.access import administers_partnership
from qaf.models import AcademicYear, Agency, HalfTerm, Membership, Partnership, Team, Term, Theme, User

admin.site.site_header = "SEND quality assurance: administration"
admin.site.site_title = "QAF administration"
admin.site.index_title = "Partnership administration"


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


def _is_partnership_admin(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_staff and administers_partnership(request.user)


class PartnershipAdminPermissions(admin.options.BaseModelAdmin):
    """Superusers and partnership admins may use these admin pages; choices are scoped to the partnership."""

    def _allowed(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or _is_partnership_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = _scope_choices(field.queryset, request)
        return field


class PartnershipScopedAdmin(PartnershipAdminPermissions, admin.ModelAdmin):
    """Scope an admin to the signing-in partnership admin's partnership via `partnership_path`."""

    partnership_path = "partnership"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.partnership_path: request.user.partnership_id})

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        # Deleting cascades through records the partnership must keep; switch things off instead.
        return request.user.is_superuser

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = _scope_choices(field.queryset, request)
        return field

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and hasattr(obj, "partnership_id") and not obj.partnership_id:
            obj.partnership_id = request.user.partnership_id
        super().save_model(request, obj, form, change)


def _scope_choices(queryset, request):
    model = queryset.model
    pid = request.user.partnership_id
    scopes = {
        Partnership: {"pk": pid},
        Agency: {"partnership_id": pid},
        Team: {"agency__partnership_id": pid},
        User: {"partnership_id": pid},
        AcademicYear: {"partnership_id": pid},
        Term: {"academic_year__partnership_id": pid},
    }
    return queryset.filter(**scopes[model]) if model in scopes else queryset


class PartnershipOwnedAdmin(PartnershipScopedAdmin):
    """For models with a `partnership` field: hidden from partnership admins, set from their own."""

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            excluded.append("partnership")
        return excluded


@admin.register(Partnership)
class PartnershipAdmin(PartnershipScopedAdmin):
    partnership_path = "pk"
    list_display = ["name", "councils", "complaint_response_working_days"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.partnership_create(name=obj.name, councils=obj.councils)
        obj.pk = created.pk


class ScopedInline(PartnershipAdminPermissions, admin.TabularInline):
    """Inlines follow the same rule as their parent; partnership admins may also remove rows (a team, a role)."""

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class TeamInline(ScopedInline):
    model = Team
    extra = 0


@admin.register(Agency)
class AgencyAdmin(PartnershipOwnedAdmin):
    list_display = ["name", "kind", "council", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(PartnershipScopedAdmin):
    partnership_path = "agency__partnership"
    list_display = ["name", "agency"]
    list_select_related = ["agency"]
    search_fields = ["name", "agency__name"]


class MembershipInline(ScopedInline):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(PartnershipScopedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "job_title", "is_active"]
    list_filter = ["is_active", "memberships__role", "memberships__agency__kind"]
    search_fields = ["username", "first_name", "last_name", "email"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title")}),
        ("Access", {"fields": ("partnership", "is_active", "is_staff")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email", "password1", "password2")}),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Partnership admins cannot move people between partnerships or hand out staff status.
        return tuple(
            (
                name,
                {**opts, "fields": tuple(f for f in opts["fields"] if f not in ("partnership", "is_staff"))},
            )
            for name, opts in fieldsets
        )


class TermInline(ScopedInline):
    model = Term
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(PartnershipOwnedAdmin):
    list_display = ["__str__", "starts_on", "ends_on"]
    inlines = [TermInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        partnership = obj.partnership if obj.partnership_id else request.user.partnership
        created = services.academic_year_create_default(partnership=partnership, start_year=obj.start_year)
        obj.pk = created.pk


@admin.register(HalfTerm)
class HalfTermAdmin(PartnershipScopedAdmin):
    partnership_path = "term__academic_year__partnership"
    list_display = ["__str__", "term", "starts_on", "ends_on"]
    list_select_related = ["term__academic_year"]


@admin.register(Theme)
class ThemeAdmin(PartnershipOwnedAdmin):
    list_display = ["name", "from_framework", "is_active"]
    list_filter = ["from_framework", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
