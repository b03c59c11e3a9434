"""The public feedback pages, mounted at /f/: no sign-in. The general form's routes come before the token's, so
"general" is never read as a token."""

from django.urls import path

from feedback.views import public as views

app_name = "feedback_public"

urlpatterns = [
    path("", views.index, name="index"),
    path("general/<slug:partnership_slug>/", views.general, name="general"),
    path("general/<slug:partnership_slug>/sent/", views.general_done, name="general-done"),
    path("<str:token>/", views.start, name="form"),
    path("<str:token>/page/<int:number>/", views.page, name="form-page"),
    path("<str:token>/check/", views.check, name="form-check"),
    path("<str:token>/done/", views.done, name="form-done"),
]
