"""Routes for remedial actions: raise one (from an audit or another QA activity), the action page and its
workflow (start, complete, verify, cancel). They share the "audits" namespace."""

from django.urls import path

from audits.views import actions

urlpatterns: list = [
    path("<int:pk>/actions/raise/", actions.action_raise_for_audit, name="action-raise-for-audit"),
    path("actions/raise/", actions.action_raise, name="action-raise"),
    path("actions/<int:pk>/", actions.action_detail, name="action-detail"),
    path("actions/<int:pk>/start/", actions.action_start, name="action-start"),
    path("actions/<int:pk>/complete/", actions.action_complete, name="action-complete"),
    path("actions/<int:pk>/verify/", actions.action_verify, name="action-verify"),
    path("actions/<int:pk>/cancel/", actions.action_cancel, name="action-cancel"),
]
