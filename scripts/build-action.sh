#!/usr/bin/env bash
# Builds the GitHub Action (action.yml: runs.using node20, main dist-action/main.js): src/action/
# and what it runs (the CLI's train, diff and backlog) bundled by esbuild into dist-action/, ES
# modules split at each dynamic import, so a step needs no node_modules and loads only what its
# command uses. The parts the Action never runs (inference runtime, SQLite, PostgreSQL, Docker,
# Google's clients, Probot) stay out of the bundle. A release commits dist-action/ on the tag
# (scripts/release-action.sh); main does not carry it.
# Usage: scripts/build-action.sh [OUTDIR]   (default: dist-action)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/dist-action}"
rm -rf "$out"
"$root/node_modules/.bin/esbuild" "$root/src/action/main.ts" --bundle --splitting --format=esm \
  --platform=node --target=node20 --outdir="$out" --log-level=warning --legal-comments=none \
  --banner:js="import { createRequire as __mlopsCreateRequire } from 'node:module'; const require = __mlopsCreateRequire(import.meta.url);" \
  --external:onnxruntime-node --external:better-sqlite3 --external:pg --external:dockerode \
  --external:'@google-cloud/*' --external:google-auth-library --external:probot --external:playwright-core
echo "build-action: $(find "$out" -name '*.js' | wc -l) files, $(du -sh "$out" | cut -f1) in $out"
