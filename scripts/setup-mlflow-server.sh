#!/usr/bin/env bash
# Makes .venv-mlflow: a Python venv with the MLflow tracking server the tests run
# (scripts/mlflow-server-requirements.txt, mlflow 3.17.2 and its pinned dependencies; about two
# minutes and 850 MB the first time), only when missing or out of date. Run in the background by
# scripts/prepare-test-tools.sh (npm test); scripts/start-test-services.sh starts the server.
# The example pipeline itself needs only mlflow-skinny (ml/requirements.txt).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
log() { printf 'mlflow-server: %s\n' "$*" >&2; }

venv="$root/.venv-mlflow"
requirements="$root/scripts/mlflow-server-requirements.txt"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x "$venv/bin/mlflow" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  python=$(command -v python3.11 || command -v python3) || { log "no python3"; exit 1; }
  log "making $venv ($("$python" --version))"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  "$venv/bin/mlflow" --version >/dev/null || { log "the venv cannot run mlflow"; exit 1; }
  echo "$want" >"$venv/.requirements.sha256"
fi
