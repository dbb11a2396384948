#!/usr/bin/env bash
# Starts what the Docker and Cloud Storage tests need, on this machine only: a private Docker
# engine (its own socket and data folder, not the system's) and a local registry with basic auth
# on 127.0.0.1, plus a base image made locally (nothing can be pulled here); and a Cloud Storage
# emulator (fake-gcs-server, built once with `go install`) on 127.0.0.1; and a PostgreSQL server
# (scripts/start-test-postgres.sh) on 127.0.0.1 with a throwaway data folder; and an MLflow
# tracking server (scripts/start-test-mlflow.sh) on 127.0.0.1. Installs the Debian
# packages when run as root. Writes the variables the tests read to $MLOPS_TEST_SERVICES_DIR/env.
# Stop everything with scripts/stop-test-services.sh.
set -euo pipefail
state="${MLOPS_TEST_SERVICES_DIR:-/tmp/mlops-bot-test-services}"
registry_port="${MLOPS_TEST_REGISTRY_PORT:-5055}"
mkdir -p "$state"
log() { printf 'test-services: %s\n' "$*" >&2; }

# Cloud Storage emulator: the binary is cached in $(go env GOPATH)/bin and rebuilt only when the
# pinned version changes (the first build downloads modules through the Go proxy: a few minutes).
gcs_port="${MLOPS_TEST_GCS_PORT:-9023}"
gcs_bucket=mlops-test
gcs_env=""
go_cmd=$(command -v go || { [ -x /usr/local/go/bin/go ] && echo /usr/local/go/bin/go; } || true)
if [ -n "$go_cmd" ]; then
  gcs_bin="$("$go_cmd" env GOPATH)/bin/fake-gcs-server"
  bash "$(dirname "$0")/build-go-tools.sh" fake-gcs-server >"$state/gcs-build.log" 2>&1 \
    || { log "building fake-gcs-server failed; see $state/gcs-build.log"; tail -5 "$state/gcs-build.log" >&2; }
  gcs_url="http://127.0.0.1:$gcs_port"
  if [ -x "$gcs_bin" ] && ! curl -fsS -o /dev/null "$gcs_url/storage/v1/b" 2>/dev/null; then
    log "starting fake-gcs-server on 127.0.0.1:$gcs_port"
    nohup "$gcs_bin" -scheme http -host 127.0.0.1 -port "$gcs_port" -backend memory \
      -public-host "127.0.0.1:$gcs_port" -external-url "$gcs_url" -log-level warn >"$state/gcs.log" 2>&1 &
    echo $! >"$state/gcs.pid"
    for _ in $(seq 1 40); do curl -fsS -o /dev/null "$gcs_url/storage/v1/b" 2>/dev/null && break; sleep 0.25; done
  fi
  if curl -fsS -o /dev/null "$gcs_url/storage/v1/b" 2>/dev/null; then
    curl -fsS -o /dev/null -X POST -H 'content-type: application/json' -d "{\"name\":\"$gcs_bucket\"}" "$gcs_url/storage/v1/b" 2>/dev/null || true
    gcs_env="MLOPS_TEST_GCS_ENDPOINT=$gcs_url
MLOPS_TEST_GCS_BUCKET=$gcs_bucket
"
  else
    log "fake-gcs-server is not running; see $state/gcs.log: the Cloud Storage tests will say they were skipped"
  fi
else
  log "no Go toolchain: the Cloud Storage tests will say they were skipped"
fi

# PostgreSQL: its URL joins the env file; without it the PostgreSQL tests say they were skipped.
pg_env=$(bash "$(dirname "$0")/start-test-postgres.sh") || { log "PostgreSQL did not start"; pg_env=""; }
[ -n "$pg_env" ] && pg_env="$pg_env
"
# MLflow tracking server and chromium: their variables join the env file too.
mlflow_env=$(bash "$(dirname "$0")/start-test-mlflow.sh") || { log "the MLflow server did not start"; mlflow_env=""; }
[ -n "$mlflow_env" ] && mlflow_env="$mlflow_env
"

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} (apt-get)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    log "cannot install ${missing[*]} (not root): the Docker tests will say they were skipped"
    printf '%s' "$gcs_env" "$pg_env" "$mlflow_env" >"$state/env"
    exit 0
  fi
fi

sock="$state/docker.sock"
docker_cli() { docker -H "unix://$sock" "$@"; }
if ! docker_cli info >/dev/null 2>&1; then
  log "starting dockerd on $sock"
  mkdir -p "$state/data" "$state/exec"
  nohup dockerd --host "unix://$sock" --data-root "$state/data" --exec-root "$state/exec" \
    --pidfile "$state/docker.pid" >"$state/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker_cli info >/dev/null 2>&1 && break; sleep 0.5; done
  docker_cli info >/dev/null 2>&1 || { log "dockerd did not start; see $state/dockerd.log"; tail -20 "$state/dockerd.log" >&2; exit 1; }
fi

user=mlops
password=mlops-test-password
if ! curl -fsS -o /dev/null -u "$user:$password" "http://127.0.0.1:$registry_port/v2/" 2>/dev/null; then
  log "starting the registry on 127.0.0.1:$registry_port"
  htpasswd -Bbn "$user" "$password" >"$state/htpasswd"
  cat >"$state/registry.yml" <<YAML
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: $state/registry }
  delete: { enabled: true }
http:
  addr: 127.0.0.1:$registry_port
auth:
  htpasswd: { realm: mlops-test, path: $state/htpasswd }
YAML
  nohup docker-registry serve "$state/registry.yml" >"$state/registry.log" 2>&1 &
  echo $! >"$state/registry.pid"
  for _ in $(seq 1 40); do curl -fsS -o /dev/null -u "$user:$password" "http://127.0.0.1:$registry_port/v2/" 2>/dev/null && break; sleep 0.25; done
fi

if ! docker_cli image inspect mlops-test/busybox:1 >/dev/null 2>&1; then
  log "making the base image mlops-test/busybox:1 from busybox-static"
  root="$state/busybox-root"
  rm -rf "$root" && mkdir -p "$root/bin" "$root/tmp" "$root/etc"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"; done
  echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
  echo "nobody:x:65534:65534:nobody:/nonexistent:/bin/false" >>"$root/etc/passwd"
  tar -C "$root" -c . | docker_cli import --change 'ENV PATH=/bin' - mlops-test/busybox:1 >/dev/null
fi

cat >"$state/env" <<ENV
MLOPS_TEST_DOCKER_HOST=unix://$sock
MLOPS_TEST_REGISTRY=127.0.0.1:$registry_port
MLOPS_TEST_REGISTRY_USERNAME=$user
MLOPS_TEST_REGISTRY_PASSWORD=$password
MLOPS_TEST_BASE_IMAGE=mlops-test/busybox:1
ENV
printf '%s' "$gcs_env" "$pg_env" "$mlflow_env" >>"$state/env"
log "ready ($state/env)"
