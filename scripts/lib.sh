# Shared helpers for QAF's scripts; sourced, never run. Every script works from the repository root.
# shellcheck shell=bash

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

STAMPS="$ROOT/.setup-stamps"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
mkdir -p "$STAMPS"

log() {
  if [ -t 2 ]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi
}
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# env_true NAME DEFAULT: is environment variable NAME true? Reads it exactly as qaf/env.py's env_bool does
# (unset means DEFAULT, empty means false).
env_true() {
  local value="$2"
  [ -n "${!1+set}" ] && value="${!1}"
  case "${value,,}" in
    1 | true | yes | on) return 0 ;;
    0 | false | no | off | "") return 1 ;;
    *) die "$1 must be true or false, not '$value'" ;;
  esac
}

# fingerprint PATH...: one hash of the names and contents of the given files (directories are walked).
# A missing path counts as empty rather than stopping the script.
fingerprint() {
  { find "$@" -type f -print0 2>/dev/null || true; } | LC_ALL=C sort -z | xargs -0 -r sha256sum | sha256sum | cut -d' ' -f1
}

# stamp_ok NAME HASH: has step NAME already been done for inputs HASH?   stamp_write NAME HASH: record it.
stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_write() { printf '%s\n' "$2" >"$STAMPS/$1"; }

# Set-up steps take this lock so that two `make` runs in the same checkout do not install over each other.
take_setup_lock() {
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$STAMPS/setup.lock"
    flock 9
  fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

has_command() { command -v "$1" >/dev/null 2>&1; }

# Debian package NAME is installed (only asked where dpkg exists; elsewhere assume it is).
has_deb() {
  has_command dpkg-query || return 0
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# apt_install PACKAGE...: install what is given, running apt-get update first; nothing when given nothing.
apt_install() {
  [ "$#" -eq 0 ] && return 0
  has_command apt-get || die "please install these packages (no apt-get here): $*"
  log "Installing system packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}
