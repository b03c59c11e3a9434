"""Children's records are kept through QAF's own pages (with their access policy), not the admin:
only superusers see them here, for support."""

from django.contrib import admin

from ehcp.models import AnnualReview, Child, ChildImport, NeedsAssessment, Plan


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["case_reference", "initials", "partnership", "primary_need", "next_review_due_on"]
    list_filter = ["partnership", "primary_need"]
    search_fields = ["case_reference"]
    raw_id_fields = ["caseworker"]


admin.site.register([NeedsAssessment, Plan, AnnualReview])


@admin.register(ChildImport)
class ChildImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "partnership", "status", "rows_total", "created_at"]
    exclude = ["content"]
