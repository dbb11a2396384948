#!/usr/bin/env sh
# The whole test suite: types, lint, the TypeScript tests (vitest) and the Python tests of ml/.
# `npm test` runs scripts/setup.sh first, so this works on a fresh clone.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Pipelines run by tests call `python` and `dvc`: take them from the project venv.
export PATH="$root/.venv/bin:$PATH"

echo "== typecheck"; npx tsc -p tsconfig.json
echo "== lint"; npx eslint .
echo "== vitest"; npx vitest run
echo "== pytest (ml/)"; bash scripts/test-python.sh
