#!/usr/bin/env bash
# Create <repo>/.venv and install ml/requirements.txt into it.
# Idempotent: the install is skipped when the stamp file holds the sha256 of
# requirements.txt (and the Python version) from the last successful install.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${repo_root}/.venv"
requirements="${repo_root}/ml/requirements.txt"
stamp="${venv}/.requirements.sha256"
python="${PYTHON:-python3}"

log() { printf 'setup-python: %s\n' "$*"; }

if ! command -v "${python}" >/dev/null 2>&1; then
  log "error: ${python} not found; install Python 3.11 (Debian: apt-get install python3)" >&2
  exit 1
fi

# Debian's python3 ships venv/ensurepip in a separate package.
if ! "${python}" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    log "installing python3-venv (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    log "error: '${python} -m venv' is unavailable; install python3-venv" >&2
    exit 1
  fi
fi

if [ ! -x "${venv}/bin/python" ] || ! "${venv}/bin/python" -c 'import sys' >/dev/null 2>&1; then
  log "creating ${venv}"
  rm -rf "${venv}"
  "${python}" -m venv "${venv}"
fi

want="$(sha256sum "${requirements}" | cut -d' ' -f1) $("${venv}/bin/python" -c 'import platform; print(platform.python_version())')"
if [ -f "${stamp}" ] && [ "$(cat "${stamp}")" = "${want}" ]; then
  log "requirements up to date (${venv})"
  exit 0
fi

log "upgrading pip"
"${venv}/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
log "installing ml/requirements.txt (first run takes about a minute)"
"${venv}/bin/python" -m pip install --quiet --disable-pip-version-check -r "${requirements}"
printf '%s\n' "${want}" >"${stamp}"
log "done: $("${venv}/bin/python" --version), dvc $("${venv}/bin/dvc" --version)"
