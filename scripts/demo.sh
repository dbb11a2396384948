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
rm -rf "$demo" && mkdir -p "$demo"
cd "$demo"
git init -q -b main
git -C "$root" ls-files -z ml | (cd "$root" && xargs -0 cp --parents -t "$demo")
mkdir -p .github
cat > .github/mlops-bot.yml <<'YAML'
# What the bot runs and how it judges the result (see docs/configuration.md).
pipeline:
  workdir: ml
  train: [dvc, repro]
gates:
  accuracy: { min: 0.85, max_drop: 0.02 }
YAML
git add -A
git -c user.name=demo -c user.email=demo@example.com commit -q -m "Add the example project"

git checkout -q -b experiment
sed -i -e 's/^\(  learning_rate: \)0\.1/\10.3/' -e 's/^\(  n_estimators: \)100/\1150/' ml/params.yaml
git -c user.name=demo -c user.email=demo@example.com commit -q -am "Try a higher learning rate with more trees"

export PATH="$root/.venv/bin:$PATH"
# In the bot's own sandbox where one can be made (bubblewrap with user namespaces), as /train runs it.
sandbox=()
if command -v bwrap >/dev/null 2>&1 && bwrap --unshare-user --unshare-pid --ro-bind / / true >/dev/null 2>&1; then
  sandbox=(--sandbox)
else
  echo "demo: no bubblewrap sandbox here (apt-get install bubblewrap), so the pipeline runs as a plain process" >&2
fi
echo "demo: mlops-bot train --base main ${sandbox[*]} (the same engine /train uses on a pull request)" >&2
exec node "$root/bin/mlops-bot.js" train --base main "${sandbox[@]}" "$@"
