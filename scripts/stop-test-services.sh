#!/usr/bin/env bash
# Stops what scripts/start-test-services.sh started.
set -uo pipefail
state="${MLOPS_TEST_SERVICES_DIR:-/tmp/mlops-bot-test-services}"
for pidfile in "$state/registry.pid" "$state/docker.pid" "$state/gcs.pid"; do
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
done
# The MLflow server and its uvicorn child share a process group (setsid).
[ -f "$state/mlflow.pid" ] && kill -- "-$(cat "$state/mlflow.pid")" 2>/dev/null
# PostgreSQL: a fast shutdown (SIGINT) ends its sessions instead of waiting for them.
pg_pid="$state/postgres/data/postmaster.pid"
[ -f "$pg_pid" ] && kill -INT "$(head -1 "$pg_pid")" 2>/dev/null
rm -f "$state/env"
exit 0
