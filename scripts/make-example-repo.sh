#!/usr/bin/env bash
# Makes a throwaway git repository of the example project in DIR (emptied first): `main` holds
# ml/ with its committed metrics and a .github/mlops-bot.yml, and the checked-out branch
# `experiment` changes the model's params (learning rate 0.1 -> 0.3, 100 -> 150 trees).
# Used by the demo (scripts/demo.sh) and the package test (scripts/test-package.sh).
# Usage: scripts/make-example-repo.sh DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:?usage: scripts/make-example-repo.sh DIR}"
rm -rf "$dir" && mkdir -p "$dir"
cd "$dir"
git init -q -b main
git -C "$root" ls-files -z ml | (cd "$root" && xargs -0 cp --parents -t "$dir")
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
