"""Routes for moderation, the agreement page and re-audits."""

from django.urls import path

from audits.views import moderation as views

urlpatterns: list = [
    path("moderation/", views.agreement, name="moderation"),
    path("<int:pk>/moderate/", views.audit_moderate, name="audit-moderate"),
    path("<int:pk>/compare/", views.audit_compare, name="audit-compare"),
    path("<int:pk>/reaudit/", views.audit_reaudit_link, name="audit-reaudit-link"),
]
