"""The home page: a different overview for each role, with figures computed from the data."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from qaf.types import AuthenticatedHttpRequest
from reporting import selectors


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = selectors.home_for_user(request.user)
    return render(request, "reporting/home.html", {"view": view})
