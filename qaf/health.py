"""GET /healthz: is the database answering, and is the Celery broker reachable?

For load balancers, docker-compose and monitoring, so no sign-in is needed and nothing secret is shown: states,
the database engine and the broker transport name, never URLs, hosts or error messages (those go to the log).
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

# Seconds to wait for the broker: a health check that hangs is worse than one that says "unavailable".
BROKER_TIMEOUT = 2.0

State = dict[str, Any]


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def database_state() -> State:
    """Run a trivial query on the default database; never raises."""
    connection = connections["default"]
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("Health check: database unavailable: %s", exc)
        return {"state": "unavailable", "engine": connection.vendor, "error": type(exc).__name__}
    return {"state": "ok", "engine": connection.vendor, "ms": _elapsed_ms(started)}


def broker_state() -> State:
    """Connect to the Celery broker when one is configured; never raises.

    In the embedded mode (no CELERY_BROKER_URL, which settings turn into kombu's in-memory transport) tasks
    run in the web process, so there is nothing to reach.
    """
    url = settings.CELERY_BROKER_URL
    transport = (urlsplit(url).scheme or "unknown") if url else "memory"
    if transport == "memory":
        return {"state": "in-process"}
    started = time.monotonic()
    try:
        with Connection(
            url,
            connect_timeout=BROKER_TIMEOUT,
            transport_options={"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT},
        ) as conn:
            # No retries: one failed attempt is the answer.
            conn.ensure_connection(max_retries=0)
    except Exception as exc:
        logger.warning("Health check: broker (%s) unavailable: %s", transport, exc)
        return {"state": "unavailable", "transport": transport, "error": type(exc).__name__}
    return {"state": "ok", "transport": transport, "ms": _elapsed_ms(started)}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_state()
    broker = broker_state()
    healthy = database["state"] == "ok" and broker["state"] in {"ok", "in-process"}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
