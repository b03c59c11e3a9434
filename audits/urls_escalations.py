"""Routes for case escalations and raising a safeguarding concern on an audit. There is no delete route:
escalations are never deleted."""

from django.urls import path

from audits.views import escalations

urlpatterns: list = [
    path("escalations/", escalations.escalation_list, name="escalations"),
    path("escalations/<int:pk>/", escalations.escalation_detail, name="escalation-detail"),
    path(
        "escalations/<int:pk>/acknowledge/",
        escalations.escalation_acknowledge,
        name="escalation-acknowledge",
    ),
    path("escalations/<int:pk>/resolve/", escalations.escalation_resolve, name="escalation-resolve"),
    path(
        "<int:pk>/safeguarding-concern/",
        escalations.safeguarding_concern_raise,
        name="safeguarding-concern-raise",
    ),
]
