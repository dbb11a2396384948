#!/usr/bin/env bash
# The README's first command: the /train loop on the example project, offline, on the embedded
# defaults. It sets up a throwaway git repository (a base commit with the example project and
# its committed metrics, then a change to the params on a branch), trains the branch's HEAD with
# the real pipeline, and prints the metrics and params diff against main.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sh "$root/scripts/setup.sh" >&2

demo="${MLOPS_DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/mlops-bot-demo.XXXXXX")}"
echo "demo: throwaway repository in $demo" >&2
bash "$root/scripts/make-example-repo.sh" "$demo"
cd "$demo"

export PATH="$root/.venv/bin:$PATH"
# In the bot's own sandbox where one can be made (bubblewrap with user namespaces), as /train runs it.
sandbox=()
if command -v bwrap >/dev/null 2>&1 && bwrap --unshare-user --unshare-pid --ro-bind / / true >/dev/null 2>&1; then
  sandbox=(--sandbox)
else
  echo "demo: no bubblewrap sandbox here (apt-get install bubblewrap), so the pipeline runs as a plain process" >&2
fi
echo "demo: mlops-bot train --base main ${sandbox[*]} (the same engine /train uses on a pull request)" >&2
# From the sources (tsx); the installed package runs the same code compiled (npm run build).
exec "$root/node_modules/.bin/tsx" "$root/src/cli/main.ts" train --base main "${sandbox[@]}" "$@"
