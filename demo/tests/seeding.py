"""Running `manage.py seed_demo` from a test and finding what it made, for the demo tests that seed it themselves.

`seed_demo` refuses to run unless DEBUG is on (pytest-django turns it off): such tests use the `debug_on` fixture of
`demo/tests/conftest.py`.
"""

from __future__ import annotations

import io

from django.core.management import call_command

from demo.partnership import DEMO_PARTNERSHIP_NAME
from qaf.models import User


def seed(**options) -> str:
    """Runs `seed_demo` with `options` and returns what it printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def user(username: str) -> User:
    """The demo partnership's user signed in as `username`."""
    return User.objects.get(username=username, partnership__name=DEMO_PARTNERSHIP_NAME)
