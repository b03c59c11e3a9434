#!/usr/bin/env bash
# `make bench`: performance figures against PostgreSQL, in a database of their own (qaf_bench, created when
# missing and migrated), with DEBUG off as in production. Set BENCH_DATABASE_URL to use another database.
#
# Each benchmark is one `bench "what it measures" command...` line at the bottom; the command prints its own
# figures, and the wall time of every one is summed up at the end.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh
server_url="$(bash scripts/services.sh)"
export DATABASE_URL="${BENCH_DATABASE_URL:-$server_url/qaf_bench}"
export DEBUG=false
export SECRET_KEY="${SECRET_KEY:-benchmarks-only-not-a-secret}"
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"

"$PY" scripts/svc.py postgres-db "$DATABASE_URL"
"$PY" manage.py migrate --noinput -v 0

results=()
failed=0
bench() {
  local title="$1"
  shift
  log "$title"
  local started ended status=0
  started=$(date +%s.%N)
  "$@" || status=$?
  ended=$(date +%s.%N)
  local seconds
  seconds=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.2f", b - a }')
  if [ "$status" -eq 0 ]; then
    results+=("$(printf '%10s s  %s' "$seconds" "$title")")
  else
    results+=("$(printf '%10s    %s (FAILED, exit %s)' "-" "$title" "$status")")
    failed=1
  fi
}

# --- Benchmarks: one line each --------------------------------------------------------------------
bench "SEN2-shaped CSV import, 20,000 rows" "$PY" manage.py bench_import --rows 20000

printf '\n%s\n' "Wall time (PostgreSQL ${DATABASE_URL##*/}):"
printf '%s\n' "${results[@]}"
exit "$failed"
