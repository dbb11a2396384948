#!/usr/bin/env bash
# Static checks of the infrastructure code, run by scripts/test.sh:
#   - terraform fmt -check -recursive infra   (Terraform 1.5.7, the last MPL-licensed release)
#   - actionlint on .github/workflows and on the example workflows of docs/action.md
#                                              (with shellcheck for the run: scripts when present)
#   - scripts/check-terraform-modules.py       (variables documented, no hard-coded project,
#                                              references and module calls resolve)
#   - scripts/check-k8s.sh                     (k8s/ overlays rendered and schema-validated)
# The last two need .venv-infra and kustomize (scripts/setup-infra-tools.sh, run here if missing);
# their failing cases are tested in test/infra/.
# Neither tool is packaged for Debian: the first run builds them from source with `go install`
# (Terraform: about 5-6 minutes on 2 cores, most of it compiling; actionlint: about a minute) and
# keeps the binaries in $(go env GOPATH)/bin, so later runs start at once. TERRAFORM or ACTIONLINT
# may name binaries to use instead.
# `terraform validate` needs the google provider from the Terraform registry, so it runs in the
# GitHub workflow (.github/workflows/ci.yml, job terraform), not here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# shellcheck source=scripts/tool-versions.sh
. "$root/scripts/tool-versions.sh"
log() { printf 'check-infra: %s\n' "$*" >&2; }

# Terraform: never call home, and ignore a CLI config variable that names a missing file.
export CHECKPOINT_DISABLE=1
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi

# first_line COMMAND...: the first line of its output (the whole output is read: with pipefail,
# `| head -1` could fail the pipeline when the command is still writing).
first_line() { local out; out=$("$@" 2>/dev/null) || return 1; printf '%s\n' "${out%%$'\n'*}"; }

if [ -z "${TERRAFORM:-}" ] || [ -z "${ACTIONLINT:-}" ]; then
  bash "$root/scripts/build-go-tools.sh" $([ -n "${TERRAFORM:-}" ] || echo terraform) $([ -n "${ACTIONLINT:-}" ] || echo actionlint)
fi
gobin="$(go env GOPATH 2>/dev/null)/bin"
terraform="${TERRAFORM:-$gobin/terraform}"
actionlint="${ACTIONLINT:-$gobin/actionlint}"
[[ "$(first_line "$terraform" version)" == *"v$TERRAFORM_VERSION"* ]] || { log "$terraform is not Terraform v$TERRAFORM_VERSION"; exit 1; }

# actionlint checks the run: scripts with shellcheck when it is on the PATH.
if ! command -v shellcheck >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "installing shellcheck (apt-get)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck; } >/dev/null 2>&1 || log "could not install shellcheck"
fi

first_line "$terraform" version
echo "terraform fmt -check -recursive infra"
if ! "$terraform" fmt -check -recursive -diff infra; then
  log "the files above are not formatted: run terraform fmt -recursive infra"
  exit 1
fi

echo "actionlint $(first_line "$actionlint" -version)$(command -v shellcheck >/dev/null 2>&1 && echo ", shellcheck $(shellcheck --version | sed -n 's/^version: //p')")"
"$actionlint" -no-color
# The example workflows of the Action's docs: each ```yaml block of docs/action.md that has `on:`.
docs_workflows="$(mktemp -d)"
awk -v dir="$docs_workflows" '/^```yaml$/ { n++; file = dir "/docs-action-" n ".yml"; inside = 1; next } /^```$/ { inside = 0; next } inside { print > file }' docs/action.md
grep -l '^on:' "$docs_workflows"/*.yml >/dev/null || { log "docs/action.md has no example workflow"; exit 1; }
echo "actionlint docs/action.md ($(grep -l '^on:' "$docs_workflows"/*.yml | wc -l) workflows)"
(cd "$docs_workflows" && "$actionlint" -no-color $(grep -l '^on:' ./*.yml))
rm -rf "$docs_workflows"

[ -x "$root/.venv-infra/bin/python" ] && [ -x "$gobin/kustomize" ] || bash "$root/scripts/setup-infra-tools.sh"
echo "check-terraform-modules infra"
"$root/.venv-infra/bin/python" "$root/scripts/check-terraform-modules.py" infra
bash "$root/scripts/check-k8s.sh"
