#!/usr/bin/env bash
# Builds the test tools that are not packaged for Debian, with `go install`, into
# $(go env GOPATH)/bin, each only when its pinned version (scripts/tool-versions.sh) is missing.
# Usage: build-go-tools.sh [fake-gcs-server] [actionlint] [terraform] [kustomize]   (default: all)
# First builds take minutes (terraform about 5 on 2 cores); later runs return at once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/tool-versions.sh
. "$root/scripts/tool-versions.sh"
log() { printf 'go-tools: %s\n' "$*" >&2; }

go_cmd=$(command -v go || { [ -x /usr/local/go/bin/go ] && echo /usr/local/go/bin/go; } || true)
[ -n "$go_cmd" ] || { log "no Go toolchain (https://go.dev/dl/): cannot build $*"; exit 1; }
gobin="$("$go_cmd" env GOPATH)/bin"
mkdir -p "$gobin"

# The module version a binary was built from (go version -m), e.g. v1.56.1.
built_version() { [ -x "$1" ] && "$go_cmd" version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'; }

build() { # build NAME MODULE VERSION
  local bin="$gobin/$1"
  if [ "$(built_version "$bin" || true)" = "$3" ]; then return 0; fi
  log "building $1 $3 (go install; cached in $gobin afterwards)"
  local started=$SECONDS
  GOBIN="$gobin" "$go_cmd" install -trimpath -ldflags="-s -w" "$2@$3"
  log "built $1 in $((SECONDS - started))s"
}

tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(fake-gcs-server actionlint terraform kustomize)
for tool in "${tools[@]}"; do
  case "$tool" in
    fake-gcs-server) build fake-gcs-server github.com/fsouza/fake-gcs-server "$FAKE_GCS_VERSION" ;;
    actionlint) build actionlint github.com/rhysd/actionlint/cmd/actionlint "v$ACTIONLINT_VERSION" ;;
    terraform) build terraform github.com/hashicorp/terraform "v$TERRAFORM_VERSION" ;;
    kustomize) build kustomize sigs.k8s.io/kustomize/kustomize/v5 "v$KUSTOMIZE_VERSION" ;;
    *) log "unknown tool $tool (fake-gcs-server, actionlint, terraform, kustomize)"; exit 2 ;;
  esac
done
