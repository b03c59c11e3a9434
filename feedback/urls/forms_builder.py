"""Routes for feedback forms, under /feedback/forms/ in the "feedback" namespace."""

from django.urls import path

from feedback.views import forms_builder as views

VERSION = "<int:pk>/versions/<int:number>/"
QUESTION = f"{VERSION}questions/<int:question_pk>/"

urlpatterns: list = [
    path("", views.form_list, name="form-list"),
    path("forms.csv", views.form_list_csv, name="form-list-csv"),
    path("new/", views.form_create, name="form-create"),
    path("add-defaults/", views.form_seed_defaults, name="form-seed-defaults"),
    path("<int:pk>/", views.form_detail, name="form-detail"),
    path("<int:pk>/meetings/", views.form_meetings, name="form-meetings"),
    path("<int:pk>/retire/", views.form_retire, name="form-retire"),
    path("<int:pk>/reinstate/", views.form_reinstate, name="form-reinstate"),
    path(VERSION, views.version_detail, name="form-version"),
    path(f"{VERSION}texts/", views.version_edit, name="form-version-edit"),
    path(f"{VERSION}approve/", views.version_approve, name="form-version-approve"),
    path(f"{VERSION}new/", views.version_new, name="form-version-new"),
    path(f"{VERSION}questions/add/", views.question_add, name="form-question-add"),
    path(QUESTION, views.question_change, name="form-question-change"),
    path(f"{QUESTION}delete/", views.question_delete, name="form-question-delete"),
    path(f"{QUESTION}move/", views.question_move, name="form-question-move"),
]
