#!/usr/bin/env bash
# Installs and builds, ahead of time, what the test services and infra checks need: Debian
# packages (Docker engine, registry, htpasswd, busybox-static, shellcheck, PostgreSQL, bubblewrap
# for the jobs' sandbox, chromium for the job page's browser test; as root), the
# Go tools (fake-gcs-server, actionlint, terraform, kustomize), the infra checks' venv
# (.venv-infra) and the MLflow tracking server's venv (.venv-mlflow). `npm test` starts it in the background while npm
# and pip install, and waits for it before it needs the tools; each step is skipped when done.
# Writes its status to $MLOPS_TEST_SERVICES_DIR/prepare-services.done (packages and emulator ready)
# and prepare.done (everything ready).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state="${MLOPS_TEST_SERVICES_DIR:-/tmp/mlops-bot-test-services}"
mkdir -p "$state"
rm -f "$state/prepare.done" "$state/prepare-services.done"
status=0

packages=()
command -v dockerd >/dev/null 2>&1 || packages+=(docker.io)
command -v docker-registry >/dev/null 2>&1 || packages+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || packages+=(apache2-utils)
dpkg -s busybox-static >/dev/null 2>&1 || packages+=(busybox-static)
command -v shellcheck >/dev/null 2>&1 || packages+=(shellcheck)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || packages+=(postgresql)
command -v bwrap >/dev/null 2>&1 || packages+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
if [ ${#packages[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "prepare: apt-get install ${packages[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"; } >/dev/null 2>&1 || status=1
fi

# The emulator first: the test services need it; then kustomize and .venv-infra, which tests under
# test/infra/ use (about a minute the first time); terraform and actionlint run last.
bash "$root/scripts/build-go-tools.sh" fake-gcs-server || status=1
bash "$root/scripts/setup-infra-tools.sh" || status=1
bash "$root/scripts/setup-mlflow-server.sh" || status=1
echo "$status" >"$state/prepare-services.done"
bash "$root/scripts/build-go-tools.sh" actionlint terraform || status=1
echo "$status" >"$state/prepare.done"
exit "$status"
