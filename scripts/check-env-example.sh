#!/usr/bin/env bash
# Fails when an environment variable that qaf/settings.py, qaf/settings_test.py or gunicorn.conf.py reads is
# missing from .env.example (STYLE.md: every variable is listed there).
source "$(dirname "$0")/lib.sh"

read_vars() {
  grep -ohE '(env_(str|bool|int|list)|_int|os\.environ\.get|os\.environ\.setdefault)\("[A-Z][A-Z0-9_]*"' "$@" \
    | sed -E 's/.*\("([A-Z0-9_]+)"/\1/' | sort -u
}
listed="$(grep -oE '^#? ?[A-Z][A-Z0-9_]*=' .env.example | sed -E 's/^#? ?//; s/=$//' | sort -u)"
missing="$(comm -23 <(read_vars qaf/settings.py qaf/settings_test.py gunicorn.conf.py) <(printf '%s\n' "$listed"))"
if [ -n "$missing" ]; then
  die "missing from .env.example: $(echo $missing)"
fi
