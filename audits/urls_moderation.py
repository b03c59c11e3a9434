"""Routes for moderation, the queue of audits awaiting it, the agreement page and re-audits."""

from django.urls import path

from audits.views import moderation as views

urlpatterns: list = [
    path("moderation/", views.agreement, name="moderation"),
    path("moderation/queue/", views.moderation_queue, name="moderation-queue"),
    path("<int:pk>/moderate/", views.audit_moderate, name="audit-moderate"),
    path("<int:pk>/compare/", views.audit_compare, name="audit-compare"),
    path("<int:pk>/reaudit/", views.audit_reaudit_link, name="audit-reaudit-link"),
]
