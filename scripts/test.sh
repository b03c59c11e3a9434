#!/usr/bin/env bash
# `make test`: set up (with Chromium, PostgreSQL and Redis), make sure PostgreSQL and Redis are running, then
# run the whole suite. Arguments go to pytest (`make test PYTEST_ARGS="-k health"`).
# DATABASE_URL and CELERY_BROKER_URL, when set, choose the servers; otherwise the local ones are used.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh --test
server_url="$(bash scripts/services.sh)"
export DATABASE_URL="${DATABASE_URL:-$server_url/qaf}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}"

log "Running the test suite"
status=0
"$VENV/bin/pytest" "$@" || status=$?
if [ "$status" -eq 5 ]; then
  # pytest's "no tests were collected": a suite that tests nothing must not pass.
  die "no tests ran"
fi
exit "$status"
