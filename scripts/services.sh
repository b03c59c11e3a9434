#!/usr/bin/env bash
# Makes sure the local PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) that the test suite and the
# benchmarks use are running, starting them when they are down, and prints on stdout a PostgreSQL server URL
# (no database name) whose credentials work. Needs .venv (scripts/setup.sh).
#
# On a fresh Debian install PostgreSQL asks for a password over TCP; the postgres user then gets the password
# below, set through the local socket as root. Where TCP connections are trusted the password is simply ignored.
source "$(dirname "$0")/lib.sh"

PG_PORT=5432
PG_CLUSTER=main
REDIS_PORT=6379
PG_URL="postgres://postgres:postgres@127.0.0.1:$PG_PORT"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

svc() { "$PY" scripts/svc.py "$@"; }

pg_accepting() { has_command pg_isready && pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }

# Both already up: the usual case, answered by one process.
if svc postgres-ready "$PG_URL" redis-ready "$REDIS_URL" 2>/dev/null; then
  printf '%s\n' "$PG_URL"
  exit 0
fi

if ! svc postgres-ready "$PG_URL" 2>/dev/null; then
  if ! pg_accepting && has_command pg_ctlcluster; then
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    log "Starting PostgreSQL $version/$PG_CLUSTER"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$PG_CLUSTER" start || true
  fi
  for _ in $(seq 60); do
    svc postgres-ready "$PG_URL" 2>/dev/null && break
    # Up but refusing our password: set it (once) through the local socket, where root may act as postgres.
    if pg_accepting && [ -z "${password_set-}" ] && has_command runuser && [ "$(id -u)" -eq 0 ]; then
      log "Setting the local postgres user's password for the test suite"
      runuser -u postgres -- psql -q -p "$PG_PORT" -c "ALTER USER postgres PASSWORD 'postgres'" && password_set=1
    fi
    sleep 0.5
  done
  svc postgres-ready "$PG_URL" || die "cannot connect to PostgreSQL at 127.0.0.1:$PG_PORT as postgres"
fi

if ! svc redis-ready "$REDIS_URL"; then
  has_command redis-server || die "Redis is not running on 127.0.0.1:$REDIS_PORT and redis-server is not installed"
  log "Starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  for _ in $(seq 60); do
    svc redis-ready "$REDIS_URL" && break
    sleep 0.5
  done
  svc redis-ready "$REDIS_URL" || die "Redis did not start on 127.0.0.1:$REDIS_PORT"
fi

printf '%s\n' "$PG_URL"
