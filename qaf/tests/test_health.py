"""GET /healthz: 200 with the database and broker state when both answer, 503 naming the one that does not."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db

# Nothing listens on port 1; the password must never appear in the response.
CLOSED_BROKER = "redis://:broker-secret@127.0.0.1:1/0"


def test_healthy_reports_both_states(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["state"] == "ok"
    assert body["database"]["engine"] == "postgresql"
    assert body["broker"] == {"state": "ok", "transport": "redis", "ms": body["broker"]["ms"]}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("broker_url", ["", "memory://"])
def test_embedded_mode_reports_broker_in_process(client, settings, broker_url):
    settings.CELERY_BROKER_URL = broker_url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == {"state": "in-process"}


def test_database_failure_is_503(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection to server failed")

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"state": "unavailable", "engine": "postgresql", "error": "OperationalError"}
    assert body["broker"] == {"state": "in-process"}


def test_unreachable_broker_is_503_without_secrets(client, settings):
    settings.CELERY_BROKER_URL = CLOSED_BROKER

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["state"] == "ok"
    assert body["broker"]["state"] == "unavailable"
    assert body["broker"]["transport"] == "redis"
    assert b"broker-secret" not in response.content
    assert b"127.0.0.1" not in response.content


def test_needs_no_sign_in_and_refuses_writes(client):
    assert client.get("/healthz").status_code in {200, 503}
    assert client.post("/healthz").status_code == 405
