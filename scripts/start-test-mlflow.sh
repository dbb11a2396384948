#!/usr/bin/env bash
# Starts the MLflow tracking server the tests use (from .venv-mlflow, made by
# scripts/setup-mlflow-server.sh): SQLite backend and artifact folder in
# $MLOPS_TEST_SERVICES_DIR/mlflow, on 127.0.0.1 only (port $MLOPS_TEST_MLFLOW_PORT, default 5056),
# artifacts proxied by the server (jobs upload over HTTP). Leaves a running one alone and does not
# wait for it (its first start migrates the database, about a minute): the tests wait for
# /health. Prints the variables the tests read (MLOPS_TEST_MLFLOW_URI, MLOPS_TEST_CHROMIUM) on
# stdout; stopped by scripts/stop-test-services.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state="${MLOPS_TEST_SERVICES_DIR:-/tmp/mlops-bot-test-services}"
port="${MLOPS_TEST_MLFLOW_PORT:-5056}"
dir="$state/mlflow"
url="http://127.0.0.1:$port"
log() { printf 'test-services: %s\n' "$*" >&2; }

chromium=$(command -v chromium || true)
if [ -n "$chromium" ]; then
  echo "MLOPS_TEST_CHROMIUM=$chromium"
else
  log "no chromium (Debian package chromium): the job page's browser test will say it was skipped"
fi

if [ ! -x "$root/.venv-mlflow/bin/mlflow" ]; then
  log "no .venv-mlflow (scripts/setup-mlflow-server.sh): the MLflow tests will say they were skipped"
  exit 0
fi
if ! curl -fsS -o /dev/null "$url/health" 2>/dev/null; then
  log "starting the MLflow tracking server on 127.0.0.1:$port"
  mkdir -p "$dir/artifacts"
  # Its own process group (the server runs uvicorn as a child): stop-test-services.sh ends both.
  MLFLOW_DISABLE_TELEMETRY=true setsid nohup "$root/.venv-mlflow/bin/mlflow" server \
    --backend-store-uri "sqlite:///$dir/mlflow.db" --artifacts-destination "$dir/artifacts" \
    --host 127.0.0.1 --port "$port" --workers 1 >"$dir/server.log" 2>&1 &
  echo $! >"$state/mlflow.pid"
fi
echo "MLOPS_TEST_MLFLOW_URI=$url"
