#!/usr/bin/env sh
# The whole test suite: types, lint, the TypeScript tests (vitest) and the Python tests of ml/.
# `npm test` runs scripts/setup.sh first, so this works on a fresh clone. The Docker tests use a
# private engine and registry, and the Cloud Storage tests an emulator, that this script starts
# and stops (scripts/start-test-services.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Pipelines run by tests call `python` and `dvc`: take them from the project venv.
export PATH="$root/.venv/bin:$PATH"

echo "== typecheck"; npx tsc -p tsconfig.json
echo "== lint"; npx eslint .
echo "== infra (terraform fmt, actionlint)"; bash scripts/check-infra.sh

echo "== test services (Docker engine, registry, Cloud Storage emulator)"
services="${MLOPS_TEST_SERVICES_DIR:-/tmp/mlops-bot-test-services}"
# Stop them afterwards only if this run started them (someone else may be using running ones).
if [ ! -f "$services/env" ]; then
  trap 'bash scripts/stop-test-services.sh' EXIT
fi
bash scripts/start-test-services.sh
if [ -f "$services/env" ]; then
  set -a; . "$services/env"; set +a
fi

echo "== vitest"; npx vitest run
echo "== pytest (ml/)"; bash scripts/test-python.sh
