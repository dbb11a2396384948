#!/usr/bin/env bash
# Regenerate test/fixtures/plots/ from the real example pipeline (ground truth for src/core/plots
# and src/report/plots).
#
#   scripts/make-plot-fixtures.sh        # uses <repo>/.venv (scripts/setup-python.sh makes it)
#
# It copies ml/ (sources, params, dvc.yaml) into a temporary git repository and runs the real
# stages (generate, preprocess, train, evaluate) three times with different params:
#   base/    the default params.yaml                                   (what main commits)
#   head/    train.model=random_forest, train.max_depth=8             (a PR that changes the model)
#   large/   the default model on data.n_samples=120000                (a ROC with thousands of points;
#            only roc.json is kept)
# Each folder gets ml/dvc.yaml, ml/metrics.json, ml/plots/roc.json and ml/plots/confusion.csv as
# the pipeline wrote them. expected/ holds what the real `dvc plots diff --json` (run in ml/
# between the base and head commits) says about the same plots: the ground truth for the plot
# definitions (x, y, template, title) and the data points we read.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${repo_root}/test/fixtures/plots"
venv="${repo_root}/.venv"
[ -x "${venv}/bin/python" ] || { echo "no ${venv}: run scripts/setup-python.sh first" >&2; exit 1; }
export PATH="${venv}/bin:${PATH}" DVC_NO_ANALYTICS=1
unset MLFLOW_TRACKING_URI
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

work="$(mktemp -d /tmp/mlops-bot-plot-fixtures.XXXXXX)"
trap 'rm -rf "${work}"' EXIT
cd "${work}"
git init -q -b main
git config user.email fixtures@example.com
git config user.name fixtures
mkdir ml
for f in params.yaml dvc.yaml src .gitignore .dvcignore .dvc/config .dvc/.gitignore; do
  mkdir -p "ml/$(dirname "$f")" && cp -r "${repo_root}/ml/$f" "ml/$f"
done
rm -rf ml/src/__pycache__

set_param() { # set_param <section> <key> <value>: one line of ml/params.yaml, comments kept
  python - "$@" <<'PY'
import re, sys
section, key, value = sys.argv[1:]
text = open("ml/params.yaml").read()
block = re.search(rf"^{section}:.*?(?=^\S|\Z)", text, flags=re.M | re.S)
new, n = re.subn(rf"^(\s+{key}:\s*)\S+", rf"\g<1>{value}", block.group(0), count=1, flags=re.M)
assert n == 1, (section, key)
open("ml/params.yaml", "w").write(text[:block.start()] + new + text[block.end():])
PY
}

run_stages() { # the pipeline's stages up to evaluate, in ml/, as dvc repro runs them
  (cd ml && for stage in generate preprocess train evaluate; do python "src/${stage}.py" >/dev/null; done)
}

record() { # record <name>: copy what the pipeline wrote
  rm -rf "${out:?}/$1" && mkdir -p "${out}/$1/ml/plots"
  cp ml/dvc.yaml ml/metrics.json "${out}/$1/ml/"
  cp ml/plots/roc.json ml/plots/confusion.csv "${out}/$1/ml/plots/"
}

run_stages
record base
git add -A . && git commit -q -m base && git tag base

set_param train model random_forest
set_param train max_depth 8
run_stages
record head
git add -A . && git commit -q -m head && git tag head

mkdir -p "${out}/expected"
(cd ml && dvc plots diff --json base head) >"${out}/expected/plots-diff-base-head.json"
dvc --version >"${out}/expected/dvc-version.txt"

git checkout -q base -- ml/params.yaml
set_param data n_samples 120000
run_stages
rm -rf "${out}/large" && mkdir -p "${out}/large/ml/plots"
cp ml/dvc.yaml "${out}/large/ml/" && cp ml/plots/roc.json "${out}/large/ml/plots/"

points="$(python -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["roc"]))' "${out}/large/ml/plots/roc.json")"
echo "wrote ${out}: ${points} ROC points in large/"
