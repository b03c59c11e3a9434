"""The public feedback pages, mounted at /f/: no sign-in.

Three shapes of address that cannot be taken for one another: /f/general/<slug>/ (the general form) comes
first, so "general" is never read as anything else; a short code is exactly 8 letters or digits, with or without
a hyphen after the fourth (and with or without a trailing slash), so it holds no dot; a token always holds two
dots (<slug>.<public id>.<signature>). Anything else falls to the token's routes and gets the "not recognised"
page.
"""

from django.urls import path, re_path

from feedback.views import public as views

app_name = "feedback_public"

SHORT_CODE = r"^(?P<code>[A-Za-z0-9]{4}-?[A-Za-z0-9]{4})/?$"

urlpatterns = [
    path("", views.index, name="index"),
    path("general/<slug:partnership_slug>/", views.general, name="general"),
    path("general/<slug:partnership_slug>/sent/", views.general_done, name="general-done"),
    re_path(SHORT_CODE, views.short_link, name="short-link"),
    path("<str:token>/", views.start, name="form"),
    path("<str:token>/page/<int:number>/", views.page, name="form-page"),
    path("<str:token>/check/", views.check, name="form-check"),
    path("<str:token>/done/", views.done, name="form-done"),
]
