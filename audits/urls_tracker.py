"""Routes for the action tracker ("actions", "my actions", "my team's actions", their CSV exports) and the
themes and workforce-development pages."""

from django.urls import path

from audits.views import tracker

urlpatterns: list = [
    path("actions/", tracker.action_tracker, name="actions"),
    path("actions/export.csv", tracker.action_tracker_csv, name="actions-csv"),
    path("actions/mine/", tracker.my_actions, name="my-actions"),
    path("actions/mine/export.csv", tracker.my_actions_csv, name="my-actions-csv"),
    path("actions/team/", tracker.team_actions, name="team-actions"),
    path("actions/team/export.csv", tracker.team_actions_csv, name="team-actions-csv"),
    path("actions/themes/", tracker.action_themes, name="action-themes"),
    path("actions/workforce-development/", tracker.workforce_development, name="workforce-development"),
]
