"""Small checks on PostgreSQL and Redis for the set-up scripts (run with .venv/bin/python).

    svc.py postgres-ready URL    exit 0 when PostgreSQL at URL accepts a connection with those credentials
    svc.py postgres-db URL       create URL's database when it does not exist yet
    svc.py redis-ready URL       exit 0 when Redis at URL answers PING

Several pairs may be given (svc.py postgres-ready URL redis-ready URL): exit 0 when every one succeeds.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

TIMEOUT = 3


def _maintenance_url(url: str) -> tuple[str, str]:
    """The same server's `postgres` database, and the database URL names."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), name


def postgres_ready(url: str) -> bool:
    maintenance, _ = _maintenance_url(url)
    try:
        psycopg.connect(maintenance, connect_timeout=TIMEOUT).close()
    except psycopg.Error as exc:
        print(f"PostgreSQL: {str(exc).strip()}", file=sys.stderr)
        return False
    return True


def postgres_db(url: str) -> bool:
    maintenance, name = _maintenance_url(url)
    with psycopg.connect(maintenance, connect_timeout=TIMEOUT, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}", file=sys.stderr)
    return True


def redis_ready(url: str) -> bool:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT).ping()
    except redis.RedisError:
        return False
    return True


COMMANDS = {"postgres-ready": postgres_ready, "postgres-db": postgres_db, "redis-ready": redis_ready}

if __name__ == "__main__":
    args = sys.argv[1:]
    pairs = list(zip(args[::2], args[1::2], strict=False))
    if not pairs or len(args) % 2 or any(command not in COMMANDS for command, _ in pairs):
        sys.exit(__doc__)
    sys.exit(0 if all(COMMANDS[command](url) for command, url in pairs) else 1)
