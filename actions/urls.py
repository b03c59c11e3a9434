"""Pages of remedial actions (/actions/...) and case escalations (/escalations/...), in the "actions" namespace.
There is no route to delete an escalation: escalations are never deleted."""

from django.urls import path

from actions.views import actions, escalations, tracker

app_name = "actions"

urlpatterns = [
    # The tracker: every action the user may see, theirs, their team's, each as a CSV; the themes pages.
    path("actions/", tracker.tracker_page, {"scope": "all"}, name="actions"),
    path("actions/export.csv", tracker.tracker_csv, {"scope": "all"}, name="actions-csv"),
    path("actions/mine/", tracker.tracker_page, {"scope": "mine"}, name="my-actions"),
    path("actions/mine/export.csv", tracker.tracker_csv, {"scope": "mine"}, name="my-actions-csv"),
    path("actions/team/", tracker.tracker_page, {"scope": "team"}, name="team-actions"),
    path("actions/team/export.csv", tracker.tracker_csv, {"scope": "team"}, name="team-actions-csv"),
    path("actions/themes/", tracker.action_themes, name="action-themes"),
    path("actions/workforce-development/", tracker.workforce_development, name="workforce-development"),
    # Raising an action (from other QA activity, or on the page of the record it comes from) and its workflow.
    path("actions/raise/", actions.action_raise, name="action-raise"),
    path("actions/raise/<slug:kind>/<int:source_id>/", actions.action_raise_from, name="action-raise-from"),
    path("actions/<int:pk>/", actions.action_detail, name="action-detail"),
    path("actions/<int:pk>/start/", actions.action_start, name="action-start"),
    path("actions/<int:pk>/complete/", actions.action_complete, name="action-complete"),
    path("actions/<int:pk>/verify/", actions.action_verify, name="action-verify"),
    path("actions/<int:pk>/cancel/", actions.action_cancel, name="action-cancel"),
    # Case escalations.
    path("escalations/", escalations.escalation_list, name="escalations"),
    path("escalations/<int:pk>/", escalations.escalation_detail, name="escalation-detail"),
    path(
        "escalations/<int:pk>/acknowledge/",
        escalations.escalation_acknowledge,
        name="escalation-acknowledge",
    ),
    path("escalations/<int:pk>/resolve/", escalations.escalation_resolve, name="escalation-resolve"),
]
