"""Fixtures of the demo tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def debug_on(settings):
    """DEBUG on, as in development: pytest-django turns it off for tests, and `seed_demo` refuses to run then, as it
    should in production."""
    settings.DEBUG = True
