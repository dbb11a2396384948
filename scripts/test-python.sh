#!/usr/bin/env bash
# Run the Python tests of the example ML project (ml/tests) in <repo>/.venv.
# Extra arguments go to pytest, e.g. scripts/test-python.sh -k onnx
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"${repo_root}/scripts/setup-python.sh"

cd "${repo_root}"
# The pipeline's stages call `python` and `dvc`: take them from the venv.
export PATH="${repo_root}/.venv/bin:${PATH}"
exec "${repo_root}/.venv/bin/python" -m pytest ml/tests -q "$@"
