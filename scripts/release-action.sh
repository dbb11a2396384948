#!/usr/bin/env bash
# Makes a release of the GitHub Action: a commit on top of HEAD that carries the built
# dist-action/ (scripts/build-action.sh; main does not carry it), tagged TAG, with the major tag
# (v1 for v1.2.0) moved to it, as `uses: <owner>/mlops-bot@v1` expects. Nothing is pushed: push
# the tags yourself (git push origin TAG && git push --force origin v1).
# Usage: scripts/release-action.sh TAG   (e.g. v1.0.0)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tag="${1:?usage: scripts/release-action.sh TAG (e.g. v1.0.0)}"
[[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "release-action: TAG must look like v1.2.3, got $tag" >&2; exit 2; }
major="${tag%%.*}"
cd "$root"
[ -z "$(git status --porcelain --untracked-files=no)" ] || { echo "release-action: commit your changes first" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/mlops-bot-release.XXXXXX")"
trap 'git worktree remove --force "$work/tree" 2>/dev/null || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/tree" HEAD
bash scripts/build-action.sh "$work/tree/dist-action"
git -C "$work/tree" add -f dist-action
git -C "$work/tree" commit -q -m "Release the GitHub Action $tag: dist-action/ built from $(git rev-parse --short HEAD)"
git tag "$tag" "$(git -C "$work/tree" rev-parse HEAD)"
git tag -f "$major" "$tag^{commit}" >/dev/null
echo "release-action: tagged $tag and $major at $(git rev-parse --short "$tag^{commit}"); push them: git push origin $tag && git push --force origin $major"
