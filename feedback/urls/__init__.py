"""The voice pages for staff, mounted at /feedback/ in the "feedback" namespace: complaints and compliments here,
then one module per area (feedback forms, invitations, responses and their analysis, advocacy returns, the board
summary). The public form's pages are in feedback.urls.public, mounted at /f/ in their own namespace."""

from django.urls import include, path

from feedback.urls import advocacy, forms_builder, invitations, responses, summary
from feedback.views import complaints
from feedback.views import hub as views_hub

app_name = "feedback"

urlpatterns = [
    path("", views_hub.hub, name="hub"),
    path("complaints/", complaints.complaint_list, name="complaint-list"),
    path("complaints/new/", complaints.complaint_log, name="complaint-log"),
    path("complaints/analysis/", complaints.analysis, name="analysis"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/change/", complaints.complaint_change, name="complaint-change"),
    path("compliments/", complaints.compliment_list, name="compliment-list"),
    path("compliments/new/", complaints.compliment_log, name="compliment-log"),
    path("forms/", include(forms_builder.urlpatterns)),
    path("invitations/", include(invitations.urlpatterns)),
    path("responses/", include(responses.urlpatterns)),
    path("advocacy/", include(advocacy.urlpatterns)),
    path("summary/", include(summary.urlpatterns)),
]
