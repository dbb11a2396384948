#!/usr/bin/env bash
# Renders each kustomize overlay of k8s/ and validates every rendered object, strictly (unknown
# fields are errors), against the JSON schemas of Kubernetes K8S_SCHEMA_VERSION
# (scripts/tool-versions.sh), offline: kubernetes-validate ships the schemas.
#
#   check-k8s.sh [K8S_DIR] [OUT_DIR]   (default: k8s/ of this repository; OUT_DIR keeps the
#                                        rendered <overlay>.yaml files, else a temporary folder)
#
# Tools: kustomize from $(go env GOPATH)/bin (or KUSTOMIZE), kubernetes-validate from .venv-infra
# (or KUBERNETES_VALIDATE); scripts/setup-infra-tools.sh makes both. Exit 1 on the first overlay
# that does not render or validate, with the tool's message.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/tool-versions.sh
. "$root/scripts/tool-versions.sh"
dir=$(cd "${1:-$root/k8s}" && pwd)
out="${2:-}"
log() { printf 'check-k8s: %s\n' "$*" >&2; }

go_cmd=$(command -v go || { [ -x /usr/local/go/bin/go ] && echo /usr/local/go/bin/go; } || true)
kustomize="${KUSTOMIZE:-$([ -n "$go_cmd" ] && echo "$("$go_cmd" env GOPATH)/bin/kustomize")}"
validate="${KUBERNETES_VALIDATE:-$root/.venv-infra/bin/kubernetes-validate}"
[ -x "$kustomize" ] || { log "no kustomize at $kustomize: bash scripts/setup-infra-tools.sh"; exit 2; }
[ -x "$validate" ] || { log "no kubernetes-validate at $validate: bash scripts/setup-infra-tools.sh"; exit 2; }
[[ "$("$kustomize" version 2>/dev/null)" == *"v$KUSTOMIZE_VERSION"* ]] || { log "$kustomize is not kustomize v$KUSTOMIZE_VERSION"; exit 2; }

if [ -z "$out" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

overlays=()
for o in "$dir"/overlays/*/; do [ -f "$o/kustomization.yaml" ] && overlays+=("$(basename "$o")"); done
[ ${#overlays[@]} -gt 0 ] || { log "no overlays with a kustomization.yaml under $dir/overlays"; exit 1; }

echo "kustomize v$KUSTOMIZE_VERSION, kubernetes-validate $("$validate" --version 2>/dev/null | awk '{print $NF}'), Kubernetes $K8S_SCHEMA_VERSION schemas (strict)"
for overlay in "${overlays[@]}"; do
  rendered="$out/$overlay.yaml"
  if ! "$kustomize" build "$dir/overlays/$overlay" >"$rendered" 2>"$out/$overlay.err"; then
    log "overlays/$overlay does not render:"
    cat "$out/$overlay.err" >&2
    exit 1
  fi
  if ! report=$("$validate" --strict --quiet -k "$K8S_SCHEMA_VERSION" "$rendered" 2>&1); then
    log "overlays/$overlay does not validate against Kubernetes $K8S_SCHEMA_VERSION:"
    printf '%s\n' "$report" | sed "s|$rendered|overlays/$overlay (rendered)|" >&2
    exit 1
  fi
  echo "overlays/$overlay: $(grep -c '^kind:' "$rendered") objects valid"
done
