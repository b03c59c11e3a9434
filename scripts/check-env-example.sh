#!/usr/bin/env bash
# Fails when an environment variable that QAF's code reads is missing from .env.example (STYLE.md: every
# variable is listed there). Test-only modules (settings_test.py, conftest.py, tests/) are not counted.
source "$(dirname "$0")/lib.sh"

read_vars() {
  find . \( -path ./.venv -o -path ./node_modules -o -path ./build -o -path ./var -o -name tests \) -prune \
    -o -name '*.py' ! -name settings_test.py ! -name conftest.py -print0 \
    | xargs -0 grep -ohE '(env_(str|bool|int|list)|_int|os\.environ\.get|os\.environ\.setdefault|os\.getenv)\(["'"'"'][A-Z][A-Z0-9_]*["'"'"']' \
    | sed -E 's/.*\(["'"'"']([A-Z0-9_]+)["'"'"']/\1/' | sort -u
}
listed="$(grep -oE '^(# )?[A-Z][A-Z0-9_]*=' .env.example | sed -E 's/^# //; s/=$//' | sort -u)"
missing="$(comm -23 <(read_vars) <(printf '%s\n' "$listed"))"
[ -z "$missing" ] || die "missing from .env.example: $(echo $missing)"
