"""Routes for audits: the list, my audits, the audit page and its workflow (filled in with the views)."""

from django.http import HttpResponse
from django.urls import path


def _placeholder(request, *args, **kwargs):  # replaced by the real views
    return HttpResponse("")


urlpatterns: list = [path("", _placeholder, name="audit-list")]
