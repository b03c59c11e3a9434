"""Routes for the annual audit plan, scheduling and sampling (filled in with the views)."""

from django.http import HttpResponse
from django.urls import path


def _placeholder(request, *args, **kwargs):  # replaced by the real views
    return HttpResponse("")


urlpatterns: list = [path("plans/", _placeholder, name="plan-list")]
