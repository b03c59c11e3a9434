"""Case escalations in the Django admin, for superusers (support): read-only, and never deleted, not even by a
superuser. Actions and escalations are worked on QAF's own pages."""

from __future__ import annotations

from django.contrib import admin

from actions.models import Escalation, EscalationEvent
from qaf.admin import ReadOnlyAdmin


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agency", "status", "raised_at", "acknowledge_by"]
    list_select_related = ["agency"]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(EscalationEvent, ReadOnlyAdmin)
