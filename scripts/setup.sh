#!/usr/bin/env sh
# Installs what the bot, its tests and the example project need, on a fresh Debian machine or a
# laptop: npm dependencies (only when package-lock.json changed), the Python venv for ml/ and
# bubblewrap (the jobs' sandbox).
# Idempotent and quiet when there is nothing to do. Run by `npm test` (with --test) and `npm run demo`.
# With --test it also starts scripts/prepare-test-tools.sh in the background (Debian packages and
# Go tools for the test services), which scripts/test.sh waits for.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "${1:-}" = "--test" ]; then
  state="${MLOPS_TEST_SERVICES_DIR:-/tmp/mlops-bot-test-services}"
  mkdir -p "$state"
  echo "setup: preparing test tools in the background (log: $state/prepare.log)"
  rm -f "$state/prepare.done"
  nohup bash scripts/prepare-test-tools.sh >"$state/prepare.log" 2>&1 &
fi

# onnxruntime-node's install script downloads CUDA files unless told not to; the CPU runtime ships in the package.
export ONNXRUNTIME_NODE_INSTALL=skip

stamp=node_modules/.mlops-bot-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm dependencies (npm ci; better-sqlite3 compiles, about a minute)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
else
  echo "setup: npm dependencies up to date"
fi

bash scripts/setup-python.sh

# The jobs' sandbox (bubblewrap): the bot's local runner needs it, and so does `train --sandbox`.
# With --test, prepare-test-tools.sh installs it in the background instead (one apt-get at a time).
if [ "${1:-}" != "--test" ] && ! command -v bwrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing bubblewrap (the jobs' sandbox)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap; } >/dev/null 2>&1 \
      || echo "setup: could not install bubblewrap; jobs will not be sandboxed (apt-get install bubblewrap)"
  else
    echo "setup: bubblewrap is not installed, so jobs cannot be sandboxed: sudo apt-get install bubblewrap"
  fi
fi
