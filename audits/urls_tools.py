"""Routes for audit tools (filled in with the views)."""

from django.http import HttpResponse
from django.urls import path


def _placeholder(request, *args, **kwargs):  # replaced by the real views
    return HttpResponse("")


urlpatterns: list = [path("tools/", _placeholder, name="tool-list")]
