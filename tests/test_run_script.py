"""`make run` links to the port it serves on: scripts/run.sh sets SITE_URL from PORT unless SITE_URL is given,
and the settings' own default follows PORT too. Only the script's `run_environment` function is run (taken out of
the script), never the script itself: nothing is set up and no server starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_environment(**env: str) -> tuple[str, str]:
    """PORT and SITE_URL as scripts/run.sh exports them before serving, with `env` as the caller's variables."""
    base = {key: value for key, value in os.environ.items() if key not in ("PORT", "SITE_URL")}
    result = subprocess.run(
        [
            "bash",
            "-c",
            'eval "$(sed -n "/^run_environment() {/,/^}/p" scripts/run.sh)" && run_environment '
            '&& printf "%s\\n%s" "$PORT" "$SITE_URL"',
        ],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    port, site_url = result.stdout.splitlines()
    return port, site_url


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "8801"}, ("8801", "http://127.0.0.1:8801")),
        ({}, ("8000", "http://127.0.0.1:8000")),
        (
            {"PORT": "8801", "SITE_URL": "https://qaf.example-council.gov.uk"},
            ("8801", "https://qaf.example-council.gov.uk"),
        ),
        ({"PORT": "8801", "SITE_URL": ""}, ("8801", "http://127.0.0.1:8801")),
    ],
)
def test_make_run_links_to_the_port_it_serves_on_unless_site_url_is_given(env, expected):
    assert _run_environment(**env) == expected


def test_the_settings_default_site_url_follows_port():
    base = {key: value for key, value in os.environ.items() if key not in ("PORT", "SITE_URL")}
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "PORT": "8801", "DJANGO_SETTINGS_MODULE": "qaf.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8801"
