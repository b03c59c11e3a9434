#!/usr/bin/env bash
# Sets up everything QAF needs to run, doing only what is missing or out of date:
#   system packages (apt, only when one is missing), .venv from requirements.lock, node_modules from
#   package-lock.json, front-end assets in build/static/.
# Usage: scripts/setup.sh [--test]   (--test adds Chromium, PostgreSQL and Redis for the test suite)
source "$(dirname "$0")/lib.sh"

for_tests=false
[ "${1-}" = "--test" ] && for_tests=true

take_setup_lock

# --- System packages --------------------------------------------------------------------------------
missing=()
venv_ok=false
"$PY" -V >/dev/null 2>&1 && venv_ok=true
if ! $venv_ok; then
  has_command python3 || missing+=(python3)
  # Debian keeps venv's ensurepip in python3-venv.
  python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
fi
has_command node || missing+=(nodejs)
has_command npm || missing+=(npm)
# WeasyPrint (PDF reports) loads Pango and HarfBuzz; Liberation Sans stands in for Arial in the PDFs.
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation; do
  has_deb "$package" || missing+=("$package")
done
if $for_tests; then
  # Browser tests drive Debian's Chromium (never a downloaded one); the suite runs on PostgreSQL and Redis.
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  has_command pg_ctlcluster || has_deb postgresql || missing+=(postgresql)
  has_command redis-server || missing+=(redis-server)
fi
apt_install "${missing[@]}"

# --- Python packages --------------------------------------------------------------------------------
if ! $venv_ok; then
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "QAF needs Python 3.11 or later ($(python3 -V))"
  log "Creating .venv"
  rm -rf "$VENV" "$STAMPS/python"
  python3 -m venv "$VENV"
fi
python_inputs="$(fingerprint requirements.lock)-$("$PY" -V 2>&1)"
if ! stamp_ok python "$python_inputs"; then
  log "Installing Python packages from requirements.lock"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r requirements.lock
  stamp_write python "$python_inputs"
fi

# --- npm packages -----------------------------------------------------------------------------------
node_inputs="$(fingerprint package-lock.json)-$(node --version)"
if [ ! -d node_modules ] || ! stamp_ok node "$node_inputs"; then
  log "Installing npm packages from package-lock.json"
  # No package here needs an install script (sass's optional file watcher is not used).
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  stamp_write node "$node_inputs"
fi

# --- Front-end assets -------------------------------------------------------------------------------
asset_inputs="$(fingerprint frontend scripts/build-assets.mjs package-lock.json)"
if [ ! -f build/static/css/application.css ] || ! stamp_ok assets "$asset_inputs"; then
  log "Building front-end assets"
  npm run --silent build
  stamp_write assets "$asset_inputs"
fi
