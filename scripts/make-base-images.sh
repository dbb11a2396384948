#!/usr/bin/env bash
# Makes the Debian and Python base images that the project's Dockerfiles are built on where Docker
# Hub cannot be reached, on the engine at DOCKER_HOST (default: the private engine of
# scripts/start-test-services.sh), each only when it is missing (REBUILD_BASES=1 makes them again):
#
#   local/debian:bookworm-slim       debootstrap --variant=minbase bookworm from this machine's
#                                    Debian mirror, slimmed like debian:bookworm-slim (no docs,
#                                    man pages or locales; apt lists and caches removed).
#   local/python:3.11-slim-bookworm  that + Debian's python3 (3.11.2, not a source build of the
#                                    latest 3.11), python3-venv, python3-pip, python -> python3,
#                                    pip -> pip3 in /usr/local/bin, LANG=C.UTF-8, and no
#                                    EXTERNALLY-MANAGED marker (the official image has none, so
#                                    `pip install` outside a venv works as there).
#
# Usage: make-base-images.sh [debian] [python]   (default: both; python needs debian)
# Used by scripts/build-images-locally.sh and by the image tests (test/docker/mlflow-image.test.ts),
# which keep the bases on the test engine: made once (about two minutes), then re-used.
# Needs root the first time (debootstrap, apt-get). When this machine's npm has a `cafile` (a
# TLS-intercepting egress proxy), that bundle becomes pip's `cert` in the Python base
# (LOCAL_CA_BUNDLE names another).
set -euo pipefail
work="${MLOPS_LOCAL_IMAGES_DIR:-/tmp/mlops-bot-images}"
services="${MLOPS_TEST_SERVICES_DIR:-/tmp/mlops-bot-test-services}"
rebuild_bases="${REBUILD_BASES:-0}"
DEBIAN_IMAGE=local/debian:bookworm-slim
PYTHON_IMAGE=local/python:3.11-slim-bookworm
log() { printf 'base-images: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(debian python)
for t in "${targets[@]}"; do case "$t" in debian | python) ;; *) die "unknown base $t (debian, python)" ;; esac; done
mkdir -p "$work/logs"

if [ -z "${DOCKER_HOST:-}" ]; then
  [ -f "$services/env" ] && DOCKER_HOST=$(sed -n 's/^MLOPS_TEST_DOCKER_HOST=//p' "$services/env")
  DOCKER_HOST="${DOCKER_HOST:-unix://$services/docker.sock}"
fi
export DOCKER_HOST
d() { docker "$@"; }
d info >/dev/null 2>&1 || die "no Docker engine answers at $DOCKER_HOST (bash scripts/start-test-services.sh)"
has_image() { d image inspect "$1" >/dev/null 2>&1; }
# The engine is shared: a base made again replaces the old one, which goes once nothing uses it.
replaced=()
want_base() {
  if has_image "$1"; then
    [ "$rebuild_bases" = 1 ] || return 1
    replaced+=("$(d image inspect -f '{{.Id}}' "$1")")
  fi
}
wants() { local t; for t in "${targets[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }
# One builder for both: the engine's classic one needs no buildx plugin, and these Dockerfiles
# use nothing of BuildKit's.
build() { DOCKER_BUILDKIT=0 d build --force-rm -q "$@" >/dev/null; }

make_debian() {
  # This machine's Debian mirror (the one apt reaches), else deb.debian.org.
  local mirror rootfs
  mirror="${DEBIAN_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -oE '^(deb|URIs:) +https?://[^ ]+/debian/?( |$)' | grep -oE 'https?://[^ ]+' | head -1 || true)}"
  mirror="${mirror:-http://deb.debian.org/debian}"
  if ! command -v debootstrap >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "debootstrap is missing (apt-get install debootstrap, as root)"
    log "installing debootstrap"
    apt-get install -y -qq debootstrap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
  fi
  rootfs="$work/debian-rootfs"
  log "debootstrap --variant=minbase bookworm from $mirror (about a minute)"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/logs/debootstrap.log" 2>&1 \
    || { tail -20 "$work/logs/debootstrap.log" >&2; die "debootstrap failed; see $work/logs/debootstrap.log"; }
  # What debian:bookworm-slim has on top of minbase: the three suites, apt's cache cleaning, and
  # dpkg excludes for documentation (slim).
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
    "$mirror" "$mirror" >"$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
  find "$rootfs/usr/share/doc" -mindepth 2 ! -type d ! -name copyright -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/*
  log "importing $DEBIAN_IMAGE"
  tar -C "$rootfs" --numeric-owner -c . | d import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

make_python() {
  local ctx="$work/python-base" ca_bundle="${LOCAL_CA_BUNDLE:-}"
  if [ -z "$ca_bundle" ] && command -v npm >/dev/null 2>&1; then
    ca_bundle=$(npm config get cafile 2>/dev/null || true)
    case "$ca_bundle" in null | undefined) ca_bundle="" ;; esac
  fi
  [ -z "$ca_bundle" ] || [ -s "$ca_bundle" ] || die "LOCAL_CA_BUNDLE $ca_bundle is not a file"
  log "making $PYTHON_IMAGE (Debian's python3)"
  rm -rf "$ctx" && mkdir -p "$ctx/etc" "$ctx/usr/local/etc"
  : >"$ctx/etc/pip.conf"
  if [ -n "$ca_bundle" ]; then
    cp "$ca_bundle" "$ctx/usr/local/etc/local-ca-certificates.crt"
    printf '[global]\ncert = /usr/local/etc/local-ca-certificates.crt\n' >"$ctx/etc/pip.conf"
  fi
  cat >"$ctx/Dockerfile" <<EOF
FROM $DEBIAN_IMAGE
ENV LANG=C.UTF-8
RUN apt-get update \\
    && apt-get install -y --no-install-recommends ca-certificates netbase tzdata python3 python3-venv python3-pip \\
    && rm -rf /var/lib/apt/lists/* \\
    && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED \\
    && ln -s /usr/bin/python3 /usr/local/bin/python \\
    && { [ -e /usr/bin/pip ] || ln -s /usr/bin/pip3 /usr/local/bin/pip; }
COPY usr/local/etc/ /usr/local/etc/
COPY etc/pip.conf /etc/pip.conf
RUN python --version && pip --version && python -m venv /tmp/venv && /tmp/venv/bin/pip --version && rm -rf /tmp/venv
CMD ["python3"]
EOF
  # apt-get in the build reaches the mirror through the host's network, as debootstrap did.
  build --network host -t "$PYTHON_IMAGE" "$ctx" 2>"$work/logs/base-python.log" \
    || { tail -20 "$work/logs/base-python.log" >&2; die "$PYTHON_IMAGE did not build; see $work/logs/base-python.log"; }
  rm -rf "$ctx"
}

if wants debian || wants python; then
  if want_base "$DEBIAN_IMAGE"; then make_debian; fi
fi
if wants python && want_base "$PYTHON_IMAGE"; then make_python; fi
for ((i = ${#replaced[@]} - 1; i >= 0; i--)); do d rmi "${replaced[i]}" >/dev/null 2>&1 || true; done
for t in "${targets[@]}"; do
  case "$t" in debian) has_image "$DEBIAN_IMAGE" ;; python) has_image "$PYTHON_IMAGE" ;; esac || die "$t base missing"
done
log "ready: $(for t in "${targets[@]}"; do case "$t" in debian) printf '%s ' "$DEBIAN_IMAGE" ;; python) printf '%s ' "$PYTHON_IMAGE" ;; esac; done)"
