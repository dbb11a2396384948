#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (compiles dist/), installed into an empty prefix, then
# the installed `mlops-bot` run on a throwaway repository of the example project, from that
# repository (never from this checkout): --version, `train --base main` with the real pipeline,
# and `diff --json`. Part of `npm test` (scripts/test.sh), so `.ci/run` runs it.
#
# The install takes the packages from npm's cache when it has them (`npm ci` filled it) and runs
# no install scripts: what it runs needs none (no SQLite store, no inference runtime), and npm 11
# skips them in global installs unless allowed, so the test behaves the same on npm 10 and 11.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mlops-bot-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "package test: $*" >&2; exit 1; }

cd "$root"
echo "package: npm pack (npm run build, then the tarball)"
npm pack --silent --pack-destination "$work" >/dev/null
tarball=$(ls "$work"/mlops-bot-*.tgz)
tar -tzf "$tarball" >"$work/files.txt"
grep -qx "package/npm-shrinkwrap.json" "$work/files.txt" || fail "the tarball has no npm-shrinkwrap.json"
if grep -v -e '^package/dist/' -e '^package/package.json$' -e '^package/README.md$' -e '^package/npm-shrinkwrap.json$' "$work/files.txt"; then
  fail "the tarball holds files beyond dist/, package.json, README.md and npm-shrinkwrap.json (above)"
fi
if grep '\.ts$' "$work/files.txt"; then fail "the tarball holds TypeScript sources (above)"; fi

echo "package: npm install -g --prefix <empty folder> $(basename "$tarball")"
ONNXRUNTIME_NODE_INSTALL=skip npm install -g --prefix "$work/prefix" --prefer-offline --ignore-scripts \
  --no-audit --no-fund --loglevel=error "$tarball"
bin="$work/prefix/bin/mlops-bot"
[ -x "$bin" ] || fail "npm install -g made no executable $bin"
[ ! -e "$work/prefix/lib/node_modules/mlops-bot/node_modules/tsx" ] || fail "tsx was installed: the package must not need it"

version=$(node -p 'require("./package.json").version')
[ "$("$bin" --version)" = "mlops-bot $version" ] || fail "mlops-bot --version did not print mlops-bot $version"

bash scripts/make-example-repo.sh "$work/repo"
cd "$work/repo"
export PATH="$root/.venv/bin:$PATH" XDG_CACHE_HOME="$work/cache" NO_COLOR=1
echo "package: mlops-bot train --base main (the example project, from $work/repo)"
"$bin" train --base main --quiet --markdown "$work/report.md" >"$work/train.txt" || fail "train exited $?: $(cat "$work/train.txt")"
grep -q '| ml/params.yaml | train.learning_rate | 0.1 | 0.3 |' "$work/report.md" || fail "the report has no params table: $(cat "$work/report.md")"
[ -z "$(git status --porcelain)" ] || fail "train left files in the repository: $(git status --porcelain)"

echo "package: mlops-bot diff --json"
"$bin" diff --json >"$work/diff.json"
node -e '
  const diff = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const lr = diff.params["ml/params.yaml"]?.["train.learning_rate"];
  if (JSON.stringify(lr) !== JSON.stringify({ old: 0.1, new: 0.3, diff: 0.2 })) throw new Error("diff --json: train.learning_rate is " + JSON.stringify(lr));
  if (!diff.data.roots.includes("ml")) throw new Error("diff --json found no DVC project in ml/");
' "$work/diff.json" || fail "diff --json is not the example's diff"
echo "package: ok (installed $(du -sh "$work/prefix" | cut -f1))"
