"""The service's own "Page not found" page in the embedded mode too."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from qaf import views


class NotFoundPageMiddleware:
    """With DEBUG on (the embedded mode, `make run`), Django answers an address that is not one of the site's,
    or a record the user may not see, with its technical 404 page, which lists the site's URL patterns. People
    using the service get its own page instead, in the site layout, as they do with DEBUG off. Errors still
    show Django's debug page.

    Last in MIDDLEWARE, so every other middleware has run (the user is known) and CommonMiddleware can still
    redirect an address missing its final slash."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG:
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                return views.not_found(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return views.not_found(request, exception)
        return None
