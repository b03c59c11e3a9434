#!/usr/bin/env bash
# `make test`: set up (with Chromium, PostgreSQL and Redis), make sure PostgreSQL and Redis are running, then
# run the whole suite on every core. Arguments go to pytest (`make test PYTEST_ARGS="-k health"`; `-n 0` for one
# process).
# DATABASE_URL and CELERY_BROKER_URL, when set, choose the servers; otherwise the local ones are used.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh --test
server_url="$(bash scripts/services.sh)"
export DATABASE_URL="${DATABASE_URL:-$server_url/qaf}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}"

log "Running the test suite"
status=0
# Both cores (one test database each: test_qaf_gw0, test_qaf_gw1), a module or class to one worker so that its
# shared fixtures (a seeded demo) are built once; the 15 slowest tests are listed at the end.
"$VENV/bin/pytest" -n auto --dist loadscope --durations=15 "$@" || status=$?
if [ "$status" -eq 5 ]; then
  # pytest's "no tests were collected": a suite that tests nothing must not pass.
  die "no tests ran"
fi
exit "$status"
