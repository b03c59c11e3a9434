"""Error pages in the service's own layout."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page. A PermissionDenied raised with a message says why (every message in QAF is written for
    the person reading it); without one the page says what is true either way: the role cannot use the page,
    or it may see the record but not change it."""
    reason = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security check: usually a page left open too long, or cookies switched off.
    Said plainly, in the service's layout, for staff and for the public feedback form alike."""
    return render(request, "403_csrf.html", {"back": request.path}, status=403)
