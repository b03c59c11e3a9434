#!/usr/bin/env bash
# `make run`: set up what is missing, migrate, load the demo data once, and serve on http://127.0.0.1:$PORT.
#
# With no configuration this is the embedded mode: SQLite in var/, background jobs in the web process.
# DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and Redis; with a broker, a Celery worker and beat
# run beside the web server and stop with it. The web server is gunicorn either way (reloading on code
# changes while DEBUG is on); WhiteNoise serves the static files.
#
# Links in emails, text messages and handouts are made from SITE_URL, which follows PORT unless it is given
# (PORT=8801 make run links to http://127.0.0.1:8801).
source "$(dirname "$0")/lib.sh"

# run_environment: export the port to serve on (PORT, default 8000) and the address QAF's links point at
# (SITE_URL, default http://127.0.0.1:$PORT), for gunicorn, Celery and manage.py alike. (tests/test_run_script.py
# runs this function on its own, from "run_environment() {" to the first "}" at the start of a line.)
run_environment() {
  export PORT="${PORT:-8000}"
  export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
}

bash scripts/setup.sh

run_environment
manage() { "$PY" manage.py "$@"; }

log "Migrating the database"
manage migrate --noinput

if env_true DEBUG true; then
  manage seed_demo --if-empty
else
  log "DEBUG is off, so no demo data is loaded (python manage.py seed_demo --force loads it)"
fi

# With DEBUG off the static files are served from STATIC_ROOT through the manifest (hashed names).
if env_true STATIC_MANIFEST "$(env_true DEBUG true && echo false || echo true)"; then
  static_root="${STATIC_ROOT:-${QAF_VAR_DIR:-$ROOT/var}/staticfiles}"
  static_inputs="$(fingerprint static build/static requirements.lock)-$static_root"
  if [ ! -f "$static_root/staticfiles.json" ] || ! stamp_ok collectstatic "$static_inputs"; then
    log "Collecting static files into $static_root"
    manage collectstatic --noinput --clear -v 0
    stamp_write collectstatic "$static_inputs"
  fi
fi

# --- Serve ------------------------------------------------------------------------------------------
children=()
stop() {
  trap - INT TERM EXIT
  [ "${#children[@]}" -gt 0 ] && kill -TERM "${children[@]}" 2>/dev/null
  wait
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

if [ -n "${CELERY_BROKER_URL-}" ]; then
  log "Starting a Celery worker and beat (broker: ${CELERY_BROKER_URL%%://*})"
  "$VENV/bin/celery" -A qaf worker --loglevel INFO &
  children+=($!)
  "$VENV/bin/celery" -A qaf beat --loglevel INFO --schedule "${QAF_VAR_DIR:-$ROOT/var}/celerybeat-schedule" &
  children+=($!)
fi

log "Serving QAF on http://127.0.0.1:$PORT/ (Ctrl-C stops it); links point at $SITE_URL"
"$VENV/bin/gunicorn" --config gunicorn.conf.py &
children+=($!)
# Waiting in the background lets the traps above run as soon as a signal arrives.
server=$!
status=0
wait "$server" || status=$?
exit "$status"
