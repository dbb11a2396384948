#!/usr/bin/env bash
# Regenerate test/fixtures/model/ (model.onnx, parity.json) for the inference server's tests.
#
#   scripts/make-model-fixture.sh
#
# Runs the example pipeline's stages (generate -> preprocess -> train -> export, the same code as
# `dvc repro` in ml/, with the committed ml/params.yaml) in a temporary copy of ml/, with the
# project venv (scripts/setup-python.sh), so ml/ itself is never written. The pipeline is
# deterministic: the model's bytes equal ml/models/model.onnx after `dvc repro` (checked below
# when that file exists). Writes test/fixtures/model/SOURCE with the sha256 of each file and the
# git commit of ml/ it was made from.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${repo_root}/test/fixtures/model"
python="${repo_root}/.venv/bin/python"
[ -x "${python}" ] || bash "${repo_root}/scripts/setup-python.sh"

work="$(mktemp -d /tmp/mlops-bot-model-fixture.XXXXXX)"
trap 'rm -rf "${work}"' EXIT
cp -R "${repo_root}/ml/src" "${repo_root}/ml/params.yaml" "${work}/"
cd "${work}"
for stage in generate preprocess train export; do
  "${python}" "src/${stage}.py"
done

mkdir -p "${out}"
cp models/model.onnx models/parity.json "${out}/"
sha() { sha256sum "$1" | cut -d' ' -f1; }
{
  echo "made by: scripts/make-model-fixture.sh"
  echo "ml/ commit: $(git -C "${repo_root}" log -1 --format=%H -- ml/src ml/params.yaml)"
  echo "model.onnx sha256: $(sha "${out}/model.onnx")"
  echo "parity.json sha256: $(sha "${out}/parity.json")"
} >"${out}/SOURCE"
cat "${out}/SOURCE"

built="${repo_root}/ml/models/model.onnx"
if [ -f "${built}" ] && [ "$(sha "${built}")" != "$(sha "${out}/model.onnx")" ]; then
  echo "make-model-fixture: note: ml/models/model.onnx differs (run \`dvc repro\` in ml/ to update it)" >&2
fi
