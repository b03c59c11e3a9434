"""The voice pages for staff: complaints and compliments, feedback forms, invitations, responses and analysis,
advocacy returns. The public form lives in feedback/urls_public.py, under /f/."""

from django.urls import include, path

from feedback import views
from feedback.views import hub as views_hub

app_name = "feedback"

urlpatterns = [
    path("", views_hub.hub, name="hub"),
    path("complaints/", views.complaint_list, name="complaint-list"),
    path("complaints/new/", views.complaint_log, name="complaint-log"),
    path("complaints/analysis/", views.analysis, name="analysis"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/change/", views.complaint_change, name="complaint-change"),
    path("compliments/", views.compliment_list, name="compliment-list"),
    path("compliments/new/", views.compliment_log, name="compliment-log"),
    path("forms/", include("feedback.urls_forms")),
    path("invitations/", include("feedback.urls_invitations")),
    path("responses/", include("feedback.urls_responses")),
    path("advocacy/", include("feedback.urls_advocacy")),
    path("summary/", include("feedback.urls_summary")),
]
