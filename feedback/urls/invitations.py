"""Invitations to give feedback after a meeting (mounted at /feedback/invitations/, namespace "feedback")."""

from django.urls import path

from feedback.views import invitations as views

urlpatterns = [
    path("", views.invitation_list, name="invitation-list"),
    path("export.csv", views.invitation_list_csv, name="invitation-list-csv"),
    path("new/", views.invitation_create, name="invitation-create"),
    path("bulk/", views.invitation_bulk, name="invitation-bulk"),
    path("handouts/", views.invitation_handouts, name="invitation-handouts"),
    path("<int:pk>/", views.invitation_detail, name="invitation-detail"),
    path("<int:pk>/handout/", views.invitation_handout, name="invitation-handout"),
    path("<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("<int:pk>/withdraw/", views.invitation_withdraw, name="invitation-withdraw"),
]
