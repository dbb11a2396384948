import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SharedDvcCache, type CacheLayerRef } from "../../../src/adapters/cache/shared-dvc-cache.js";
import { LocalProcessRunner } from "../../../src/adapters/runners/local-process-runner.js";
import { BubblewrapSandbox } from "../../../src/adapters/runners/sandbox/bubblewrap-sandbox.js";
import { probeBubblewrap } from "../../../src/adapters/runners/sandbox/probe-bubblewrap.js";
import { GitSourceProvider } from "../../../src/adapters/source/git-source-provider.js";
import { FsArtifactStore } from "../../../src/adapters/stores/fs-artifact-store.js";
import { parseRepoConfig } from "../../../src/config/parse-repo-config.js";
import { runTraining } from "../../../src/jobs/run-training.js";
import { JOB_PATH } from "../../helpers/example-repo.js";
import { commitFiles, git, initRepo } from "../../helpers/git-repo.js";

const hostUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
const probe = probeBubblewrap(hostUser);
const required = process.env.MLOPS_REQUIRE_DOCKER === "1";

// A tiny real DVC project: `gen` writes out.txt, `use` reads it into metrics.json.
const PROJECT = {
  "proj/.dvc/config": "[core]\n    analytics = false\n    check_update = false\n",
  "proj/.dvc/.gitignore": "/config.local\n/tmp\n/cache\n",
  "proj/dvc.yaml": "stages:\n  gen:\n    cmd: sh gen.sh\n    deps: [gen.sh]\n    outs: [out.txt]\n  use:\n    cmd: sh use.sh\n    deps: [use.sh, out.txt]\n    metrics:\n      - metrics.json:\n          cache: false\n",
  "proj/gen.sh": "echo good > out.txt\n",
  "proj/use.sh": 'echo "{\\"v\\": \\"$(cat out.txt)\\"}" > metrics.json\n',
  "proj/.gitignore": "/out.txt\n",
};

// What a hostile pull request runs inside its job: it finds the layers in DVC's config, tries to
// change the default branch's layer every way it can, and poisons its own layer: a run-cache entry
// for the default branch's unchanged `gen` stage that restores "evil" instead of "good".
const ATTACK = String.raw`
import hashlib, os, re, shutil
cfg = open(".dvc/config.local").read()
own = re.search(r"^\s*dir = (.+)$", cfg, re.M).group(1)
base = re.search(r"^\s*url = (.+)$", cfg, re.M).group(1)
def attempt(what, fn):
    try:
        fn(); print("BASE-WRITE ok:", what)
    except OSError as e:
        print("BASE-WRITE denied:", what, e.errno)
objects = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(base, "files")) for f in fs]
runs = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(base, "runs")) for f in fs]
assert objects and runs, "the default layer should hold the default branch's run"
attempt("new file", lambda: open(os.path.join(base, "planted"), "w").write("x"))
attempt("overwrite object", lambda: open(objects[0], "w").write("evil\n"))
attempt("chmod object", lambda: os.chmod(objects[0], 0o666))
attempt("delete run entry", lambda: os.remove(runs[0]))
attempt("rename runs", lambda: os.rename(os.path.join(base, "runs"), os.path.join(base, "runs-gone")))
attempt("hardlink into own layer", lambda: os.link(objects[0], os.path.join(own, "stolen")))
try:
    os.makedirs(os.path.join(os.path.dirname(own), "pr-2", "files", "planted"))
except OSError:
    pass
evil = b"evil\n"
md5 = hashlib.md5(evil).hexdigest()
os.makedirs(os.path.join(own, "files", "md5", md5[:2]), exist_ok=True)
open(os.path.join(own, "files", "md5", md5[:2], md5[2:]), "wb").write(evil)
good = hashlib.md5(b"good\n").hexdigest()
for entry in runs:
    # A new entry beside the real one, dated in the future: DVC restores the newest entry of a stage.
    target = os.path.join(own, os.path.relpath(os.path.dirname(entry), base), "f" * 64)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    open(target, "w").write(open(entry).read().replace(good, md5))
    os.utime(target, (4102444800, 4102444800))
print("POISONED", own)
`;

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const info = lstatSync(p);
      const rel = path.relative(dir, p);
      if (info.isDirectory()) {
        out[rel] = `dir ${(info.mode & 0o7777).toString(8)}`;
        walk(p);
      } else out[rel] = `${(info.mode & 0o7777).toString(8)} ${createHash("sha256").update(readFileSync(p)).digest("hex")}`;
    }
  };
  walk(dir);
  return out;
}

describe.runIf(probe.ok || required)("the shared DVC cache's layers in the bubblewrap sandbox, with real DVC", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "mlops-bot-cache-layers-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const origin = initRepo(path.join(dir, "origin", "octo", "ml"));
  const main = commitFiles(origin, PROJECT, "main");
  git(origin, "checkout", "-q", "-b", "evil");
  const evil = commitFiles(origin, { "proj/gen.sh": "python attack.py\necho mine > out.txt\n", "proj/attack.py": ATTACK }, "hostile");
  git(origin, "checkout", "-q", "main");
  git(origin, "checkout", "-q", "-b", "clean");
  const clean = commitFiles(origin, { "proj/use.sh": 'echo "{\\"v\\": \\"$(cat out.txt)\\", \\"pr\\": 2}" > metrics.json\n' }, "clean change");
  git(origin, "checkout", "-q", "main");

  const sources = new GitSourceProvider({ root: path.join(dir, "sources"), cloneUrl: path.join(dir, "origin", "{owner}", "{repo}") });
  const artifacts = new FsArtifactStore(path.join(dir, "artifacts"));
  const cache = new SharedDvcCache({ config: { dir: path.join(dir, "cache"), maxBytes: 1024 ** 3, maxAgeMs: 86_400_000 } });
  const runner = new LocalProcessRunner({ sandbox: new BubblewrapSandbox({ bwrap: probe.ok ? probe.bwrap : "bwrap", jobPath: JOB_PATH, hostUser }) });
  const config = parseRepoConfig("pipeline:\n  workdir: proj\n  train: [dvc, repro]\n  params: []\n");
  if (!config.ok) throw new Error("config");
  const { pipeline } = config.value;
  let runs = 0;

  async function train(sha: string, layer: CacheLayerRef): Promise<{ log: string; metrics: string | undefined }> {
    const source = await sources.checkout({ repo: { owner: "octo", name: "ml" }, sha });
    const lease = await cache.acquire({ owner: "octo", name: "ml" }, layer);
    const prefix = `jobs/${++runs}`;
    try {
      const result = await runTraining({
        source,
        base: { ref: null, sha: null },
        pipeline,
        overrides: [],
        runner,
        env: { PATH: JOB_PATH },
        artifacts,
        prefix,
        signal: new AbortController().signal,
        dvcCache: lease,
      });
      const log = (await artifacts.get(result.logKey))!.toString();
      expect(result.outcome, log).toBe("succeeded");
      return { log, metrics: result.head.metrics["proj/metrics.json"] };
    } finally {
      await source.release();
      await lease.release();
    }
  }

  const baseLayer = path.join(dir, "cache", "octo", "ml", "default");

  it("a pull request's job cannot change the default branch's layer, and its poisoned layer is used by no other job", async () => {
    const first = await train(main, { kind: "default" });
    expect(first.log).toContain("Running stage 'gen'");
    expect(first.metrics).toContain('"v": "good"');
    const before = tree(baseLayer);
    expect(Object.keys(before).some((p) => p.startsWith("runs/"))).toBe(true);

    const attack = await train(evil, { kind: "pull-request", number: 1 });
    expect(attack.log).toContain("POISONED");
    const attempts = attack.log.split("\n").filter((l) => l.startsWith("BASE-WRITE"));
    expect(attempts).toHaveLength(6);
    expect(attempts.filter((l) => !l.startsWith("BASE-WRITE denied:"))).toEqual([]);
    expect(tree(baseLayer)).toEqual(before);
    expect(existsSync(path.join(dir, "cache", "octo", "ml", "pr-2"))).toBe(false); // what it made there was its own scratch

    // Another pull request, same `gen` as the default branch: restored from the default branch's layer, not the poisoned one.
    const other = await train(clean, { kind: "pull-request", number: 2 });
    expect(other.log).toContain("dvc repro --pull");
    expect(other.log).not.toContain("Running stage 'gen'");
    expect(other.log).toContain("Running stage 'use'");
    expect(other.metrics).toContain('"v": "good", "pr": 2');

    // And the default branch again: all restored from its own layer, "good".
    const again = await train(main, { kind: "default" });
    expect(again.log).not.toMatch(/Running stage/);
    expect(again.metrics).toContain('"v": "good"');
    expect(tree(baseLayer)).toEqual(before);
  }, 180_000);

  it("a later job of the same pull request restores from its own layer: the poison stays with whoever made it", async () => {
    // The hostile PR pushes the default branch's code back: its own layer's entry now restores "evil" for it alone.
    const own = await train(main, { kind: "pull-request", number: 1 });
    expect(own.log).not.toContain("Running stage 'gen'");
    expect(own.metrics).toContain('"v": "evil"');
    const fresh = await train(main, { kind: "pull-request", number: 3 });
    expect(fresh.metrics).toContain('"v": "good"');
  }, 120_000);
});
