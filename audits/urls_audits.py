"""Routes for audits: the list, my audits, the audit page, reopen and close, the Level 3 panel and the Level 4
case review record. (The audit form, moderation and re-audit comparison have their own route modules.)"""

from django.urls import path

from audits.views import audits, case_review, panel

urlpatterns: list = [
    path("", audits.audit_list, name="audit-list"),
    path("mine/", audits.my_audits, name="my-audits"),
    path("<int:pk>/", audits.audit_detail, name="audit-detail"),
    path("<int:pk>/reopen/", audits.audit_reopen, name="audit-reopen"),
    path("<int:pk>/close/", audits.audit_close, name="audit-close"),
    path("<int:pk>/panel/", panel.panel_manage, name="audit-panel"),
    path("<int:pk>/panel/<int:user_pk>/remove/", panel.panel_remove, name="audit-panel-remove"),
    path("<int:pk>/case-review/lead/", case_review.case_review_setup, name="case-review-setup"),
    path("<int:pk>/case-review/", case_review.case_review_edit, name="case-review"),
]
