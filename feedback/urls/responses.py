"""Routes of the feedback responses: the list and its CSV, one response, tagging an answer, and the analysis.
Included from feedback.urls under /feedback/responses/, in the "feedback" namespace."""

from django.urls import path

from feedback.views import response_analysis as analysis
from feedback.views import responses

urlpatterns = [
    path("", responses.response_list, name="response-list"),
    path("csv/", responses.response_list_csv, name="response-list-csv"),
    path("analysis/", analysis.feedback_analysis, name="feedback-analysis"),
    path("analysis/csv/", analysis.feedback_analysis_csv, name="feedback-analysis-csv"),
    path("<int:pk>/", responses.response_detail, name="response-detail"),
    path("<int:pk>/answers/<int:answer_pk>/themes/", responses.response_tag, name="response-tag"),
]
