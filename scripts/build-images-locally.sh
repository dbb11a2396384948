#!/usr/bin/env bash
# Builds the three images the project ships (docker/bot, docker/training, docker/inference) on a
# machine that cannot pull from Docker Hub, against base images of the same family made here,
# then smoke-tests each one and prints a table: image, base used, size, build time, smoke test.
# NOT part of CI: a record of how the images were built and checked where no base can be pulled.
#
#   bash scripts/build-images-locally.sh            # build from `git archive HEAD` (what /build sends)
#   CONTEXT=worktree bash scripts/build-images-locally.sh   # build the working tree as it is
#   CLASSIC_BUILDER=1 ...   # also build each with the engine's classic builder, as the bot's /build does
#
# Needs: root (debootstrap, apt-get) the first time, a Docker engine (the private one of
# scripts/start-test-services.sh, started if it is not running), Node.js 20.20 on this machine
# (copied into the Node base), git, curl; Go for the Dockerfile frontend (else the engine's
# built-in one is used). Idempotent: the base images are made once and re-used
# (REBUILD_BASES=1 makes them again); the project images are rebuilt each run with the build
# cache (NO_CACHE=1 for a cold build). Everything it writes goes to $MLOPS_LOCAL_IMAGES_DIR.
#
# The stand-ins, and how they differ from the official images:
#   local/debian:bookworm-slim       (scripts/make-base-images.sh) debootstrap --variant=minbase
#                                    bookworm from this machine's Debian mirror, slimmed like
#                                    debian:bookworm-slim (no docs, man pages or locales).
#   local/node:20.20-bookworm-slim   that + this machine's Node.js 20.20 binary, headers and
#                                    corepack, npm 10.8.2 (the one Node 20 bundles, from the npm
#                                    registry: this machine's may be newer), at the paths of
#                                    node:20.20-bookworm-slim (/usr/local/...), the `node` user
#                                    (uid/gid 1000), the same entrypoint behaviour. Like the
#                                    official image it has no ca-certificates package (its build
#                                    purges it; Node has its own CA list); no yarn.
#   local/python:3.11-slim-bookworm  (scripts/make-base-images.sh) that + Debian's python3 (3.11.2,
#                                    not a source build of the latest 3.11), python3-venv,
#                                    python3-pip (23.0), LANG=C.UTF-8, no EXTERNALLY-MANAGED marker.
#   local/dockerfile:1               the Dockerfile frontend (`# syntax=docker/dockerfile:1`)
#                                    compiled from BuildKit's source (BUILDKIT_VERSION), passed as
#                                    BUILDKIT_SYNTAX; without Go, the engine's built-in frontend.
# Adaptations to this machine, kept in the bases only (the project's Dockerfiles are built as
# they are): npm's `nodedir=/usr/local` (node-gyp compiles better-sqlite3 against the image's
# own headers: nodejs.org, where it downloads them from, and GitHub, where the prebuilt binary
# is, are not reachable here), and, when this machine's npm has a `cafile` (a TLS-intercepting
# egress proxy), that bundle as npm's `cafile` and pip's `cert` (/etc/pip.conf).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work="${MLOPS_LOCAL_IMAGES_DIR:-/tmp/mlops-bot-images}"
services="${MLOPS_TEST_SERVICES_DIR:-/tmp/mlops-bot-test-services}"
context_mode="${CONTEXT:-head}"
buildkit_version="${BUILDKIT_VERSION:-v0.34.2}"
npm_version="${NPM_VERSION:-10.8.2}"
rebuild_bases="${REBUILD_BASES:-0}"
no_cache="${NO_CACHE:-0}"
source_url="${SOURCE:-https://github.com/mlops-bot/mlops-bot}"

DEBIAN_IMAGE=local/debian:bookworm-slim
NODE_IMAGE=local/node:20.20-bookworm-slim
PYTHON_IMAGE=local/python:3.11-slim-bookworm
FRONTEND_IMAGE=local/dockerfile:1

mkdir -p "$work/logs"
log() { printf 'build-images: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
case "$context_mode" in head | worktree) ;; *) die "CONTEXT must be head or worktree, not $context_mode" ;; esac

# --- The engine and a CLI that can drive BuildKit ------------------------------------------------
if [ -z "${DOCKER_HOST:-}" ]; then
  [ -f "$services/env" ] && DOCKER_HOST=$(sed -n 's/^MLOPS_TEST_DOCKER_HOST=//p' "$services/env")
  DOCKER_HOST="${DOCKER_HOST:-unix://$services/docker.sock}"
fi
export DOCKER_HOST
# A 20.10 CLI has BuildKit built in; a CLI from 23 on needs the buildx plugin for it. BuildKit, as
# the docs build them: it honours `# syntax` and docker/inference/Dockerfile.dockerignore.
cli="${DOCKER_CLI:-}"
if [ -z "$cli" ]; then
  for candidate in $(type -ap docker | awk '!seen[$0]++'); do
    if "$candidate" buildx version >/dev/null 2>&1; then cli=$candidate; break; fi
    major=$("$candidate" --version 2>/dev/null | sed -n 's/^Docker version \([0-9]*\)\..*/\1/p')
    if [ -n "$major" ] && [ "$major" -ge 18 ] && [ "$major" -lt 23 ]; then cli=$candidate; break; fi
  done
fi
[ -n "$cli" ] || die "no docker CLI with BuildKit (a 20.10-22.x CLI, or one with the buildx plugin); set DOCKER_CLI"
d() { "$cli" "$@"; }
if ! d info >/dev/null 2>&1; then
  log "no engine at $DOCKER_HOST: starting the test services"
  bash "$root/scripts/start-test-services.sh"
  d info >/dev/null 2>&1 || die "the Docker engine at $DOCKER_HOST does not answer"
fi
has_image() { d image inspect "$1" >/dev/null 2>&1; }
# The engine is shared: a base made again replaces the old one, which goes once nothing uses it.
replaced=()
want_base() {
  if has_image "$1"; then
    [ "$rebuild_bases" = 1 ] || return 1
    replaced+=("$(d image inspect -f '{{.Id}}' "$1")")
  fi
}
build() { DOCKER_BUILDKIT=1 d build --progress=plain "$@"; }

# --- local/debian:bookworm-slim, local/python:3.11-slim-bookworm -----------------------------------
# Shared with the image tests (test/docker/mlflow-image.test.ts): scripts/make-base-images.sh.
REBUILD_BASES="$rebuild_bases" MLOPS_LOCAL_IMAGES_DIR="$work" LOCAL_CA_BUNDLE="${LOCAL_CA_BUNDLE:-}" \
  bash "$root/scripts/make-base-images.sh" debian python || die "the Debian and Python bases could not be made"

# --- The Dockerfile frontend ---------------------------------------------------------------------
go_cmd=$(command -v go || { [ -x /usr/local/go/bin/go ] && echo /usr/local/go/bin/go; } || true)
if [ -n "$go_cmd" ] && want_base "$FRONTEND_IMAGE"; then
  log "compiling the Dockerfile frontend of BuildKit $buildkit_version (Go; about a minute)"
  src=$("$go_cmd" mod download -json "github.com/moby/buildkit@$buildkit_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] || die "go mod download github.com/moby/buildkit@$buildkit_version failed"
  # Built as the main module (its go.mod has exclude directives, which `go install pkg@v` refuses).
  rm -rf "$work/buildkit-src" "$work/frontend-root" && cp -r "$src" "$work/buildkit-src" && chmod -R u+w "$work/buildkit-src"
  mkdir -p "$work/frontend-root/bin"
  (cd "$work/buildkit-src" && CGO_ENABLED=0 "$go_cmd" build -mod=mod -trimpath -tags "netgo static_build osusergo" \
    -ldflags "-s -w -X main.Version=$buildkit_version-local" -o "$work/frontend-root/bin/dockerfile-frontend" \
    ./frontend/dockerfile/cmd/dockerfile-frontend) >"$work/logs/frontend.log" 2>&1 \
    || { tail -20 "$work/logs/frontend.log" >&2; die "the frontend did not compile; see $work/logs/frontend.log"; }
  tar -C "$work/frontend-root" --numeric-owner -c . | d import \
    --change 'ENTRYPOINT ["/bin/dockerfile-frontend"]' \
    --change 'LABEL moby.buildkit.frontend.network.none="true"' \
    --change 'LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts,moby.buildkit.frontend.gitquerystring,moby.buildkit.frontend.contexts.zstd"' \
    - "$FRONTEND_IMAGE" >/dev/null
  rm -rf "$work/buildkit-src" "$work/frontend-root"
fi
syntax_args=()
if has_image "$FRONTEND_IMAGE"; then
  syntax_args=(--build-arg "BUILDKIT_SYNTAX=$FRONTEND_IMAGE")
  frontend="$FRONTEND_IMAGE (BuildKit $buildkit_version source)"
else
  frontend="the engine's built-in frontend (no Go to compile docker/dockerfile:1)"
fi

# Trust for npm and pip inside the builds: this machine's, when it has its own (see the header).
ca_bundle="${LOCAL_CA_BUNDLE:-}"
if [ -z "$ca_bundle" ] && command -v npm >/dev/null 2>&1; then
  ca_bundle=$(npm config get cafile 2>/dev/null || true)
  case "$ca_bundle" in null | undefined) ca_bundle="" ;; esac
fi
[ -z "$ca_bundle" ] || [ -s "$ca_bundle" ] || die "LOCAL_CA_BUNDLE $ca_bundle is not a file"

# --- local/node:20.20-bookworm-slim --------------------------------------------------------------
if want_base "$NODE_IMAGE"; then
  node_bin=$(readlink -f "$(command -v node)")
  node_version=$("$node_bin" --version)
  case "$node_version" in v20.20.*) ;; *) die "this machine's node is $node_version, not 20.20" ;; esac
  prefix=$(cd "$(dirname "$node_bin")/.." && pwd)
  modules=$(npm root -g)
  [ -f "$prefix/include/node/node.h" ] || die "no Node.js headers in $prefix/include/node"
  ctx="$work/node-base"
  log "making $NODE_IMAGE from $node_bin ($node_version), npm $npm_version"
  rm -rf "$ctx" && mkdir -p "$ctx/usr/local/bin" "$ctx/usr/local/lib/node_modules" "$ctx/usr/local/include" "$ctx/usr/local/etc"
  cp "$node_bin" "$ctx/usr/local/bin/node"
  cp -r "$prefix/include/node" "$ctx/usr/local/include/node"
  # npm as Node 20 bundles it (this machine's npm may be newer): its package from the npm registry.
  (cd "$ctx" && npm pack --silent "npm@$npm_version" >/dev/null) || die "npm pack npm@$npm_version failed"
  mkdir -p "$ctx/npm" && tar -xzf "$ctx/npm-$npm_version.tgz" -C "$ctx/npm" && rm "$ctx/npm-$npm_version.tgz"
  mv "$ctx/npm/package" "$ctx/usr/local/lib/node_modules/npm" && rmdir "$ctx/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ctx/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ctx/usr/local/bin/npx"
  if [ -d "$modules/corepack" ]; then
    cp -r "$modules/corepack" "$ctx/usr/local/lib/node_modules/corepack"
    ln -s ../lib/node_modules/corepack/dist/corepack.js "$ctx/usr/local/bin/corepack"
  fi
  ln -s node "$ctx/usr/local/bin/nodejs"
  # The official image's entrypoint: a first argument that is a flag or not a command runs node.
  cat >"$ctx/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 755 "$ctx/usr/local/bin/docker-entrypoint.sh"
  echo "nodedir=/usr/local" >"$ctx/usr/local/etc/npmrc"
  if [ -n "$ca_bundle" ]; then
    cp "$ca_bundle" "$ctx/usr/local/etc/local-ca-certificates.crt"
    echo "cafile=/usr/local/etc/local-ca-certificates.crt" >>"$ctx/usr/local/etc/npmrc"
  fi
  cat >"$ctx/Dockerfile" <<EOF
FROM $DEBIAN_IMAGE
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=${node_version#v}
COPY usr/local/ /usr/local/
RUN node --version && npm --version
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
EOF
  build -t "$NODE_IMAGE" "$ctx" >"$work/logs/base-node.log" 2>&1 \
    || { tail -20 "$work/logs/base-node.log" >&2; die "$NODE_IMAGE did not build"; }
fi

for ((i = ${#replaced[@]} - 1; i >= 0; i--)); do d rmi "${replaced[i]}" >/dev/null 2>&1 || true; done

# --- The build context -----------------------------------------------------------------------------
revision=$(git -C "$root" rev-parse HEAD)
if [ "$context_mode" = head ]; then
  context="$work/context"
  rm -rf "$context" && mkdir -p "$context"
  git -C "$root" archive --format=tar HEAD | tar -x -C "$context"
  context_note="git archive ${revision:0:12}"
else
  context="$root"
  context_note="working tree at ${revision:0:12}$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' + changes')"
fi

# Network for RUN steps: the default bridge if it reaches the registries, else the host's.
network_args=()
if ! d run --rm "$DEBIAN_IMAGE" bash -c 'exec 3<>/dev/tcp/registry.npmjs.org/443' >/dev/null 2>&1; then
  log "the default bridge does not reach registry.npmjs.org: building with --network host"
  network_args=(--network host)
fi

# --- The three images ------------------------------------------------------------------------------
declare -A base status seconds tag
node_base="$NODE_IMAGE (node $(d run --rm --entrypoint node "$NODE_IMAGE" --version | tr -d v), npm $(d run --rm --entrypoint npm "$NODE_IMAGE" --version))"
python_base="$PYTHON_IMAGE (Python $(d run --rm "$PYTHON_IMAGE" python -c 'import platform; print(platform.python_version())'), pip $(d run --rm "$PYTHON_IMAGE" pip --version | cut -d' ' -f2))"
base[bot]="$node_base"
base[training]="$python_base; agent stage $node_base"
base[inference]="$node_base; model stage $python_base"
tag[bot]="local/mlops-bot:${revision:0:12}"
tag[training]="local/mlops-bot-training:${revision:0:12}"
tag[inference]="local/mlops-bot-inference:${revision:0:12}"
cache_args=()
[ "$no_cache" = 1 ] && cache_args=(--no-cache)
images=(bot training inference)
# A rebuild at the same revision moves the tag: the image it leaves behind goes.
drop_previous() { # previous-id tag
  if [ -n "$1" ] && [ "$1" != "$(d image inspect -f '{{.Id}}' "$2")" ]; then d rmi "$1" >/dev/null 2>&1 || true; fi
}
# The images of earlier runs (other revisions) go: this script owns local/mlops-bot*.
for old in $(d images --format '{{.Repository}}:{{.Tag}}' | grep -E '^local/mlops-bot(-training|-inference)?:' | grep -v ":${revision:0:12}" || true); do
  d rmi "$old" >/dev/null 2>&1 || true
done
for name in "${images[@]}"; do
  log "building docker/$name/Dockerfile -> ${tag[$name]} (log: $work/logs/build-$name.log)"
  previous=$(d image inspect -f '{{.Id}}' "${tag[$name]}" 2>/dev/null || true)
  start=$(date +%s)
  if build "${cache_args[@]}" "${network_args[@]}" "${syntax_args[@]}" \
    -f "$context/docker/$name/Dockerfile" \
    --build-arg "NODE_IMAGE=$NODE_IMAGE" --build-arg "PYTHON_IMAGE=$PYTHON_IMAGE" \
    --build-arg "REVISION=$revision" --build-arg "SOURCE=$source_url" \
    -t "${tag[$name]}" "$context" >"$work/logs/build-$name.log" 2>&1; then
    status[$name]=built
    drop_previous "$previous" "${tag[$name]}"
  else
    status[$name]="BUILD FAILED: $(grep -m1 -E '^(ERROR|error|failed to solve)' "$work/logs/build-$name.log" | cut -c1-160)"
    tail -15 "$work/logs/build-$name.log" >&2
  fi
  seconds[$name]=$(($(date +%s) - start))
done

# --- Smoke tests -----------------------------------------------------------------------------------
# Each test leaves its one-line outcome in $result ("ok: ..." or "FAILED: ...").
result=""
say() { result="$*"; }
started=()
cleanup() { for c in "${started[@]}"; do d rm -f "$c" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
port_of() { d port "$1" "$2" | head -1 | sed 's/.*://'; }
wait_http() { # url seconds -> 0 once it answers 2xx
  for _ in $(seq 1 $((2 * $2))); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done
  return 1
}
wait_healthy() { # container seconds
  local s
  for _ in $(seq 1 "$2"); do
    s=$(d inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null || echo gone)
    [ "$s" = healthy ] && return 0
    case "$s" in unhealthy | gone) break ;; esac
    sleep 1
  done
  echo "health: $s" >&2
  return 1
}

smoke_bot() {
  local img=${tag[bot]} out c port key
  # No credentials: NODE_ENV=production (the image's), so Probot refuses to start instead of
  # serving its setup flow (src/main.ts hands the start to Probot's run()).
  c="mlops-bot-smoke-$$"
  started+=("$c")
  out=$(timeout 60 "$cli" run --name "$c" "$img" 2>&1) && { say "FAILED: started without credentials"; return 1; }
  d rm -f "$c" >/dev/null 2>&1
  grep -q "App ID is missing, and is required to run in production mode" <<<"$out" \
    || { say "FAILED: no-credentials start said: $(tail -3 <<<"$out" | tr '\n' ' ' | cut -c1-200)"; return 1; }
  # Development mode without credentials: Probot's setup flow on port 3000.
  c=$(d run -d -p 127.0.0.1::3000 -e NODE_ENV=development -e NO_SMEE_SETUP=true "$img")
  started+=("$c")
  port=$(port_of "$c" 3000)
  wait_http "http://127.0.0.1:$port/probot" 30 || { say "FAILED: no setup page; $(d logs "$c" 2>&1 | tail -3 | tr '\n' ' ' | cut -c1-200)"; return 1; }
  d rm -f "$c" >/dev/null
  # Placeholder credentials: the server and worker start, /healthz answers, the HEALTHCHECK passes.
  key=$(openssl genrsa 2048 2>/dev/null)
  c=$(d run -d -p 127.0.0.1::3000 -e APP_ID=1 -e PRIVATE_KEY="$key" -e WEBHOOK_SECRET=smoke "$img")
  started+=("$c")
  port=$(port_of "$c" 3000)
  wait_http "http://127.0.0.1:$port/healthz" 30 || { say "FAILED: /healthz never answered; $(d logs "$c" 2>&1 | tail -3 | tr '\n' ' ' | cut -c1-200)"; return 1; }
  wait_healthy "$c" 60 2>/dev/null || { say "FAILED: HEALTHCHECK not healthy"; return 1; }
  [ "$(d exec "$c" id -u)" = 1000 ] || { say "FAILED: not running as uid 1000"; return 1; }
  d exec "$c" git --version >/dev/null || { say "FAILED: no git"; return 1; }
  d stop -t 15 "$c" >/dev/null
  [ "$(d inspect -f '{{.State.ExitCode}}' "$c")" = 0 ] || { say "FAILED: exit $(d inspect -f '{{.State.ExitCode}}' "$c") on SIGTERM"; return 1; }
  say "ok: no credentials -> exits 1 'App ID is missing' (production); setup flow /probot in development; with credentials /healthz 200, healthy, uid 1000, SIGTERM -> exit 0"
}

train_model_sha=""
smoke_training() {
  local img=${tag[training]} ws uid gid out
  out=$(d run --rm "$img" dvc --version 2>&1) || { say "FAILED: dvc --version: $out"; return 1; }
  local dvc_version=$out
  # As the docker runner runs a job: the bot's uid (as root here: 1000, the uid the bot image
  # runs as; neither has a passwd entry in this image), HOME=/tmp, the checkout at /workspace
  # and the pipeline's folder as the working directory. A clone, so that this repository's
  # working tree is not touched.
  uid=$(id -u) gid=$(id -g)
  [ "$uid" = 0 ] && uid=1000 gid=1000
  d run --rm "$img" mlops-bot --help >/dev/null 2>&1 || { say "FAILED: mlops-bot --help"; return 1; }
  d run --rm -u "$uid:$gid" -e HOME=/tmp "$img" mlops-bot --help >/dev/null 2>&1 || { say "FAILED: mlops-bot --help as $uid:$gid"; return 1; }
  ws="$work/training-workspace"
  rm -rf "$ws" && git clone -q --no-hardlinks "$root" "$ws" && git -C "$ws" checkout -q "$revision"
  [ "$(id -u)" = 0 ] && chown -R "$uid:$gid" "$ws"
  d run --rm -u "$uid:$gid" -e HOME=/tmp -v "$ws:/workspace" -w /workspace/ml "$img" dvc repro \
    >"$work/logs/smoke-training-dvc-repro.log" 2>&1 || { say "FAILED: dvc repro as $uid:$gid: $(grep -m1 ERROR "$work/logs/smoke-training-dvc-repro.log" | cut -c1-160) (log: $work/logs/smoke-training-dvc-repro.log)"; return 1; }
  [ -s "$ws/ml/models/model.onnx" ] || { say "FAILED: dvc repro wrote no models/model.onnx"; return 1; }
  train_model_sha=$(sha256sum "$ws/ml/models/model.onnx" | cut -d' ' -f1)
  local same="dvc.lock, metrics.json, plots/ as committed"
  git -c safe.directory="$ws" -C "$ws" diff --quiet -- ml/dvc.lock ml/metrics.json ml/plots || same="dvc.lock/metrics.json/plots DIFFER from the committed ones"
  say "ok: dvc $dvc_version; mlops-bot --help (also as $uid:$gid); dvc repro as $uid:$gid with HOME=/tmp: $same, model.onnx sha256 ${train_model_sha:0:12}"
}

smoke_inference() {
  local img=${tag[inference]} c port row want got ready
  c=$(d run -d -p 127.0.0.1::8080 "$img")
  started+=("$c")
  port=$(port_of "$c" 8080)
  wait_http "http://127.0.0.1:$port/health" 30 || { say "FAILED: /health; $(d logs "$c" 2>&1 | tail -3 | tr '\n' ' ' | cut -c1-200)"; return 1; }
  wait_http "http://127.0.0.1:$port/ready" 30 || { say "FAILED: /ready; $(curl -s "http://127.0.0.1:$port/ready")"; return 1; }
  ready=$(curl -fsS "http://127.0.0.1:$port/ready")
  row=$(node -e 'const p=require(process.argv[1]); console.log(JSON.stringify({instances:[p.instances[0]]}))' "$root/test/fixtures/model/parity.json")
  got=$(curl -fsS -H 'content-type: application/json' -d "$row" "http://127.0.0.1:$port/predict") || { say "FAILED: /predict"; return 1; }
  want=$(node -e '
    const p = require(process.argv[1]); const got = JSON.parse(process.argv[2]).predictions[0];
    const probs = p.classes.map((k) => got.probabilities[String(k)]);
    const diff = Math.max(...probs.map((v, i) => Math.abs(v - p.probabilities[0][i])));
    console.log(got.label === p.labels[0] && diff <= p.tolerance ? `label ${got.label}, max |dp| ${diff.toExponential(1)}` : `MISMATCH ${JSON.stringify(got)}`);
  ' "$root/test/fixtures/model/parity.json" "$got")
  case "$want" in MISMATCH*) say "FAILED: /predict $want"; return 1 ;; esac
  wait_healthy "$c" 40 2>/dev/null || { say "FAILED: HEALTHCHECK not healthy"; return 1; }
  [ "$(d exec "$c" id -u)" = 1000 ] || { say "FAILED: not running as uid 1000"; return 1; }
  local sha fixture_sha model_note
  sha=$(node -e 'console.log(JSON.parse(process.argv[1]).sha256)' "$ready")
  fixture_sha=$(sha256sum "$root/test/fixtures/model/model.onnx" | cut -d' ' -f1)
  model_note="model sha256 ${sha:0:12}"
  if [ "$sha" = "$train_model_sha" ]; then model_note="$model_note = training image's dvc repro"; elif [ -n "$train_model_sha" ]; then model_note="$model_note != training image's dvc repro (${train_model_sha:0:12})"; fi
  if [ "$sha" = "$fixture_sha" ]; then model_note="$model_note = test fixture"; else model_note="$model_note != test fixture (${fixture_sha:0:12})"; fi
  d stop -t 15 "$c" >/dev/null
  [ "$(d inspect -f '{{.State.ExitCode}}' "$c")" = 0 ] || { say "FAILED: exit $(d inspect -f '{{.State.ExitCode}}' "$c") on SIGTERM"; return 1; }
  say "ok: /health, /ready, /predict parity row 0 ($want), healthy, uid 1000, SIGTERM -> exit 0; $model_note"
}

declare -A smoke size
failed=0
for name in "${images[@]}"; do
  if [ "${status[$name]}" != built ]; then
    smoke[$name]="not run"; size[$name]="-"; failed=1; continue
  fi
  size[$name]="$(($(d image inspect -f '{{.Size}}' "${tag[$name]}") / 1000000)) MB"
  log "smoke-testing ${tag[$name]}"
  result=""
  "smoke_$name" 2>"$work/logs/smoke-$name.log" || true
  # A test that stopped without saying why still counts as failed.
  case "$result" in ok:*) ;; *) failed=1; result="${result:-FAILED (see $work/logs/smoke-$name.log)}" ;; esac
  smoke[$name]=$result
done

# --- The engine's classic builder (CLASSIC_BUILDER=1) ----------------------------------------------
# What the bot's /build uses: dockerode's buildImage is the engine's classic build API, which has
# no RUN --mount and reads only the root .dockerignore.
declare -A classic
if [ "${CLASSIC_BUILDER:-0}" = 1 ]; then
  dangling_before=$(d images -q -f dangling=true | sort -u)
  for name in "${images[@]}"; do
    log "building docker/$name/Dockerfile with the classic builder (log: $work/logs/classic-$name.log)"
    previous=$(d image inspect -f '{{.Id}}' "${tag[$name]}-classic" 2>/dev/null || true)
    start=$(date +%s)
    if DOCKER_BUILDKIT=0 d build --force-rm "${cache_args[@]}" "${network_args[@]}" -f "$context/docker/$name/Dockerfile" \
      --build-arg "NODE_IMAGE=$NODE_IMAGE" --build-arg "PYTHON_IMAGE=$PYTHON_IMAGE" \
      -t "${tag[$name]}-classic" "$context" >"$work/logs/classic-$name.log" 2>&1; then
      classic[$name]="built in $(($(date +%s) - start))s (${tag[$name]}-classic)"
      drop_previous "$previous" "${tag[$name]}-classic"
    else
      classic[$name]="FAILED at $(grep '^Step ' "$work/logs/classic-$name.log" | tail -1 | cut -c1-60)...: $(tail -1 "$work/logs/classic-$name.log" | cut -c1-120)"
    fi
  done
  # The classic builder keeps every build stage as an untagged image: drop those of these builds.
  for id in $(comm -13 <(echo "$dangling_before") <(d images -q -f dangling=true | sort -u)); do
    if d history --no-trunc --format '{{.CreatedBy}}' "$id" | grep -qE 'npm (ci|install)|pip install|npx tsc'; then
      d rmi "$id" >/dev/null 2>&1 || true
    fi
  done
fi

printf '\nContext: %s; frontend: %s; engine %s; CLI %s\n\n' "$context_note" "$frontend" \
  "$(d version -f '{{.Server.Version}}' 2>/dev/null)" "$("$cli" --version | sed 's/,.*//')"
printf '| image | base | size | build time | smoke test |\n| --- | --- | --- | --- | --- |\n'
for name in "${images[@]}"; do
  printf '| %s (`docker/%s/Dockerfile`) | %s | %s | %ss | %s: %s |\n' "${tag[$name]}" "$name" "${base[$name]}" \
    "${size[$name]}" "${seconds[$name]}" "${status[$name]}" "${smoke[$name]}"
done
if [ "${CLASSIC_BUILDER:-0}" = 1 ]; then
  printf '\n| image | classic builder (the engine API that /build uses) |\n| --- | --- |\n'
  for name in "${images[@]}"; do printf '| docker/%s/Dockerfile | %s |\n' "$name" "${classic[$name]}"; done
fi
exit "$failed"
