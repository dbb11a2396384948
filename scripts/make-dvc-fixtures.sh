#!/usr/bin/env bash
# Regenerate test/fixtures/dvc/ from the real DVC CLI (ground truth for src/core/dvc, params, metrics).
#
#   scripts/make-dvc-fixtures.sh            # venv in /tmp/mlops-bot-dvc-venv, dvc pinned as in ml/requirements.txt
#   DVC_VENV=/some/venv scripts/make-dvc-fixtures.sh
#
# It builds one git repository whose DVC project lives in a subfolder (`ml/`, `dvc init --subdir`,
# like the example project), makes one commit per version (v0..v6) with real `dvc add`, `dvc move`,
# `dvc remove` and `dvc repro`, and records:
#   versions/vN/     the git-tracked files of ml/ at that version (dvc.lock, *.dvc, params, metrics...)
#   cache/           the `.dir` manifests of the DVC cache (data objects are left out: not needed)
#   expected/        `dvc diff --json --show-hash`, `dvc params diff --json [--all]` and
#                    `dvc metrics diff --json [--all]` between pairs of versions, run in ml/
# Data files are a few bytes each, so the fixtures stay small.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${repo_root}/test/fixtures/dvc"
venv="${DVC_VENV:-/tmp/mlops-bot-dvc-venv}"
dvc_version="$(sed -n 's/^dvc==\(.*\)$/\1/p' "${repo_root}/ml/requirements.txt")"
dvc_version="${dvc_version:-3.67.1}"

if [ ! -x "${venv}/bin/dvc" ] || [ "$("${venv}/bin/dvc" --version)" != "${dvc_version}" ]; then
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "dvc==${dvc_version}"
fi
export PATH="${venv}/bin:${PATH}"
export DVC_NO_ANALYTICS=1 GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"

work="$(mktemp -d /tmp/mlops-bot-dvc-fixtures.XXXXXX)"
trap 'rm -rf "${work}"' EXIT
cd "${work}"
git init -q -b main
git config user.email fixtures@example.com
git config user.name fixtures
mkdir ml && cd ml
dvc init --subdir -q
dvc config core.autostage true

commit() { # commit <version>
  git add -A . && git commit -q -m "$1" && git tag "$1"
}

# ---- v0: a tracked folder, a tracked file, a second folder, params, a pipeline with metrics
mkdir -p data/raw/sub data/images
echo alpha >data/raw/a.txt
echo bravo >data/raw/b.txt
echo charlie >data/raw/sub/c.txt
echo same >data/raw/d1.txt
echo same >data/raw/d2.txt
echo 'id,label' >data/labels.csv
echo 'cat' >data/images/1.png
echo 'dog' >data/images/2.png
cat >params.yaml <<'YAML'
prepare:
  split: 0.2
  seed: 42
  name: first
train:
  lr: 0.1
  epochs: 10
  layers: [8, 4]
  dropout: 0.5
  early_stop: true
YAML
cat >train.py <<'PY'
import json, shutil, sys, yaml
p = yaml.safe_load(open("params.yaml"))
shutil.rmtree("data/prepared", ignore_errors=True)
shutil.copytree("data/raw", "data/prepared")
split = p["prepare"]["split"]
json.dump({"accuracy": round(0.9 - split / 10, 4), "loss": round(split * 2, 4),
           "classes": {"cat": {"f1": round(0.8 + split / 5, 4)}, "dog": {"f1": 0.7}},
           "model": "tree", "history": [1, 2]}, open("metrics.json", "w"))
PY
dvc add -q data/raw data/labels.csv data/images
dvc stage add -q -n prepare -d data/raw -d train.py -p prepare.split -o data/prepared -M metrics.json "python train.py"
dvc repro -q
commit v0

# ---- v1: inside data/raw: modify, delete, add, rename, delete one of two equal files; params change
echo 'alpha v2' >data/raw/a.txt
rm data/raw/b.txt data/raw/d1.txt
echo echo >data/raw/e.txt
echo new >data/raw/sub/new.txt
mv data/raw/sub/c.txt data/raw/sub/c2.txt
echo 'id,label,1' >data/labels.csv
cat >params.yaml <<'YAML'
prepare:
  split: 0.25
  seed: 42
  name: second
train:
  lr: 0.1
  epochs: 12
  layers: [8, 4, 2]
  early_stop: true
  batch: 32
YAML
dvc add -q data/raw data/labels.csv
dvc repro -q
commit v1

# ---- v2: a new dataset, a removed one, a renamed folder (dvc move), a stage not yet run
mkdir -p data/extra
echo x1 >data/extra/x1.txt
echo x2 >data/extra/x2.txt
dvc add -q data/extra
dvc remove -q data/labels.csv.dvc
dvc move data/images data/pictures >/dev/null
# A stage declared but never run: its outputs have no hash yet (dvc diff reports them with null).
dvc stage add -q -n later -o data/later -o later.txt "mkdir -p data/later && echo l1 >data/later/l1 && echo t >later.txt"
commit v2

# ---- v3: data/extra changes, and its new .dir manifest is missing from the cache; `later` runs
echo x3 >data/extra/x3.txt
dvc add -q data/extra
dvc repro -q later
commit v3
missing="$(sed -n 's/^- md5: \(.*\)$/\1/p' data/extra.dvc)"
rm -f ".dvc/cache/files/md5/${missing:0:2}/${missing:2}"

# ---- v4: edge cases of fidelity. Files whose names order differently by code point and by UTF-16
# unit (U+FF21 vs U+1F600) and as key tuples vs joined paths (a/b.txt vs a-b.txt), all with the same
# content, so which deletion a rename pairs with depends on the order; foreach (a list, a list of
# mappings) and matrix stages; params with big ints, .inf, .nan, whole floats and lists of
# mappings; a metrics file written by Python's json with Infinity, NaN and a big int.
mkdir -p data/u/a
for name in "$(printf '\uFF21').txt" "$(printf '\U0001F600').txt" a-b.txt a/b.txt; do echo same >"data/u/${name}"; done
dvc add -q data/u
cat >>params.yaml <<'YAML'
edge:
  big: 12345678901234567890123
  neg_big: -9007199254740993
  inf: .inf
  ninf: -.inf
  nan: .nan
  whole: 100000.0
  sci: 1.0e+5
  small: 1.0e-7
  layers:
    - units: 8
      act: relu
    - units: 4
      act: tanh
  shards: [a, b, c]
YAML
cat >gen.py <<'PY'
import os, sys
os.makedirs("shards", exist_ok=True)
open(f"shards/{sys.argv[1]}.txt", "w").write(sys.argv[1] + "\n")
PY
cat >edge.py <<'PY'
import json, sys
v = int(sys.argv[1]) if len(sys.argv) > 1 else 0
json.dump({"acc": 0.5 + v / 10, "big": 12345678901234567890123 + v, "whole": 100000.0 * (v + 1),
           "inf": float("inf"), "nan": float("nan"), "rows": [{"a": 1}] + [{"b": 2.0}] * (v + 1)}, open("edge_metrics.json", "w"))
PY
cat >>dvc.yaml <<'YAML'
  shard:
    foreach: [a, b, c]
    do:
      cmd: python gen.py ${item}
      deps: [gen.py]
      outs: ["shards/${item}.txt"]
  model:
    foreach:
      - {name: small, size: 1}
      - {name: large, size: 2}
    do:
      cmd: python gen.py ${item.name}
      deps: [gen.py]
      outs: ["shards/${item.name}.txt"]
  grid:
    matrix:
      lr: [1, 2]
      opt: [x, y]
    cmd: python gen.py g${item.lr}${item.opt}
    outs: ["shards/g${item.lr}${item.opt}.txt"]
  edge:
    cmd: python edge.py
    params: [edge]
    metrics: [edge_metrics.json: {cache: false}]
YAML
dvc repro -q
commit v4

# ---- v5: instances gone from dvc.yaml but still in dvc.lock (not run again: dvc diff leaves them
# out); the four equal files deleted and three added (renames pair by key order); params and
# metrics changed (a metrics file of another size: git can take a same-size rewrite in the same second for unchanged).
sed -i 's/foreach: \[a, b, c\]/foreach: [a, c]/; /- {name: large, size: 2}/d; s/opt: \[x, y\]/opt: [x]/' dvc.yaml
sed -i 's/big: 12345678901234567890123/big: 12345678901234567890124/; s/neg_big: -9007199254740993/neg_big: -9007199254740992/;
  s/  inf: .inf/  inf: 1.0/; s/whole: 100000.0/whole: 200000.0/; s/sci: 1.0e+5/sci: 1.5e+5/; s/small: 1.0e-7/small: 2.5e-7/;
  s/units: 4/units: 6/; s/shards: \[a, b, c\]/shards: [a, c]/' params.yaml
echo '  sci2: 1e5' >>params.yaml
python edge.py 1
rm data/u/*.txt data/u/a/b.txt
for name in z1.txt z2.txt z3.txt; do echo same >"data/u/${name}"; done
dvc add -q data/u
commit v5

# ---- v6: instances dvc.yaml generates that never ran (no lock entry: their outs have no hash), an
# index of a list of mappings that dvc.lock knows for another item (model@1 was `large`), and a
# foreach over a mapping whose outs use ${key} and ${item.bucket}. Not run.
sed -i 's/foreach: \[a, c\]/foreach: [a, c, d]/; s/      - {name: small, size: 1}/      - {name: small, size: 1}\n      - {name: huge, size: 3}/; s/opt: \[x\]/opt: [x, z]/' dvc.yaml
cat >>dvc.yaml <<'YAML'
  region:
    foreach:
      us: {bucket: b-us}
      eu: {bucket: b-eu}
    do:
      cmd: python gen.py ${key}-${item.bucket}
      outs: ["shards/${key}-${item.bucket}.txt"]
YAML
commit v6

# ---- record
rm -rf "${out}/versions" "${out}/cache" "${out}/expected"
mkdir -p "${out}/expected"
for v in v0 v1 v2 v3 v4 v5 v6; do
  git ls-tree -r --name-only "${v}" | while read -r rel; do
    case "${rel}" in .dvc/.gitignore | .gitignore | */.gitignore) continue ;; esac
    # .dvc/ is stored as _dvc/ so that this repository does not itself look like a DVC project
    # to the bot (test/core/dvc/fixture-files.ts maps it back).
    dest="${rel/#.dvc\//_dvc/}"
    mkdir -p "${out}/versions/${v}/$(dirname "${dest}")"
    git show "${v}:./${rel}" >"${out}/versions/${v}/${dest}"
  done
done
(cd .dvc/cache && find . -name '*.dir' | while read -r f; do
  mkdir -p "${out}/cache/$(dirname "${f}")"
  cp "${f}" "${out}/cache/${f}"
done)

for pair in v0:v1 v1:v2 v2:v3 v0:v2 v0:v3 v1:v1 v3:v4 v4:v5 v5:v6 v4:v6; do
  a="${pair%%:*}" b="${pair##*:}"
  dvc diff --json --show-hash "${a}" "${b}" >"${out}/expected/diff-${a}-${b}.json"
done
for pair in v0:v1 v1:v2 v4:v5; do
  a="${pair%%:*}" b="${pair##*:}"
  dvc params diff --json "${a}" "${b}" >"${out}/expected/params-diff-${a}-${b}.json"
  dvc params diff --json --all "${a}" "${b}" >"${out}/expected/params-diff-all-${a}-${b}.json"
  dvc metrics diff --json "${a}" "${b}" >"${out}/expected/metrics-diff-${a}-${b}.json"
  dvc metrics diff --json --all "${a}" "${b}" >"${out}/expected/metrics-diff-all-${a}-${b}.json"
  dvc params diff "${a}" "${b}" >"${out}/expected/params-diff-${a}-${b}.txt"
  dvc metrics diff "${a}" "${b}" >"${out}/expected/metrics-diff-${a}-${b}.txt"
done
dvc --version >"${out}/expected/dvc-version.txt"
echo "fixtures written to ${out} (dvc $(dvc --version))"
