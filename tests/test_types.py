"""mypy (with django-stubs and the DRF stubs, configured in pyproject.toml) finds no error in the product code:
services, selectors and access policies fully annotated, everything else checked as far as it is annotated.
`make lint` runs the same check."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings


def test_mypy_finds_no_errors():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "."],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and errors == [], "\n".join(errors[:50]) or result.stdout + result.stderr
