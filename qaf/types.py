"""Types the apps share for type checking.

`AuthenticatedHttpRequest` is the request a signed-in page receives (`login_required` has let it through), so
`request.user` is a `qaf.models.User`, not "a user or AnonymousUser"."""

from __future__ import annotations

from django.http import HttpRequest

from qaf.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose user is signed in. Annotate the views behind `login_required` with it."""

    user: User
