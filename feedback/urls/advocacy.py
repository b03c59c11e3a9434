"""The advocacy service's quarterly returns (in the "feedback" namespace)."""

from django.urls import path

from feedback.views import advocacy as views

urlpatterns = [
    path("", views.advocacy_list, name="advocacy-list"),
    path("returns.csv", views.advocacy_list_csv, name="advocacy-list-csv"),
    path("new/", views.advocacy_create, name="advocacy-create"),
    path("<int:pk>/", views.advocacy_detail, name="advocacy-detail"),
    path("<int:pk>/change/", views.advocacy_change, name="advocacy-change"),
    path("<int:pk>/submit/", views.advocacy_submit, name="advocacy-submit"),
]
