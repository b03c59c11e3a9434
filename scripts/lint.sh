#!/usr/bin/env bash
# `make lint`: ruff, mypy, and .env.example still lists every setting.
source "$(dirname "$0")/lib.sh"

bash scripts/setup.sh
"$VENV/bin/ruff" check .
"$VENV/bin/mypy" .
bash scripts/check-env-example.sh
