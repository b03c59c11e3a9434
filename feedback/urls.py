"""Complaint and compliment pages."""

from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("complaints/", views.complaint_list, name="complaint-list"),
    path("complaints/new/", views.complaint_log, name="complaint-log"),
    path("complaints/analysis/", views.analysis, name="analysis"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/change/", views.complaint_change, name="complaint-change"),
    path("compliments/", views.compliment_list, name="compliment-list"),
    path("compliments/new/", views.compliment_log, name="compliment-log"),
]
