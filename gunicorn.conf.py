"""Gunicorn settings for QAF, used by `make run` and docker-compose.yml (every variable is in .env.example)."""

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from exc


wsgi_app = "qaf.wsgi:application"
# `make run` serves on this machine only; docker-compose.yml sets GUNICORN_BIND=0.0.0.0:8000 in the container.
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 4)
# In the embedded mode background jobs run inside the request, so a termly report can take a while.
timeout = _int("GUNICORN_TIMEOUT", 120)
# While developing (DEBUG on, the default, as in qaf/settings.py) workers restart when the code changes.
reload = os.environ.get("DEBUG", "true").strip().lower() in {"1", "true", "yes", "on"}
accesslog = "-"
errorlog = "-"
# No runtime control socket ($HOME/.gunicorn/gunicorn.ctl): two servers on one machine would share its path.
control_socket_disable = True
