#!/usr/bin/env bash
# Makes the tools of the infrastructure checks, each only when missing or out of date:
#   .venv-infra/   a Python venv with scripts/infra-tools-requirements.txt (kubernetes-validate with
#                  its schemas, python-hcl2): about 20 s, 150 MB
#   kustomize      built with `go install` at KUSTOMIZE_VERSION (scripts/tool-versions.sh) into
#                  $(go env GOPATH)/bin: about a minute the first time
# Run by scripts/prepare-test-tools.sh (npm test); the checks are scripts/check-terraform-modules.py
# and scripts/check-k8s.sh, and their tests under test/infra/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
log() { printf 'infra-tools: %s\n' "$*" >&2; }

venv="$root/.venv-infra"
requirements="$root/scripts/infra-tools-requirements.txt"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  python=$(command -v python3.11 || command -v python3) || { log "no python3"; exit 1; }
  log "making $venv ($("$python" --version))"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  "$venv/bin/python" -c "import hcl2, kubernetes_validate" || { log "the venv cannot import its packages"; exit 1; }
  echo "$want" >"$venv/.requirements.sha256"
fi

bash "$root/scripts/build-go-tools.sh" kustomize
