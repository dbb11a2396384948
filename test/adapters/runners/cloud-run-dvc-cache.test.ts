import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { storeCachePush } from "../../../src/adapters/runners/cloud-run-dvc-cache.js";
import { CloudRunJobRunner } from "../../../src/adapters/runners/cloud-run-job-runner.js";
import { createArtifactStore } from "../../../src/adapters/stores/create-artifact-store.js";
import { FsArtifactStore } from "../../../src/adapters/stores/fs-artifact-store.js";
import { GcsArtifactStore } from "../../../src/adapters/stores/gcs-artifact-store.js";
import { remoteCacheLayerUrl, type RemoteCacheLayer } from "../../../src/core/dvc/plan-remote-dvc-cache.js";
import { JOB_PATH } from "../../helpers/example-repo.js";
import { cloudRunClientOptions, FakeCloudRun } from "../../helpers/fake-cloud-run.js";
import { gcsEmulator } from "../../helpers/gcs-emulator.js";
import { tempDir } from "../../helpers/temp-dir.js";

const JOB = "projects/ml-project/locations/europe-west1/jobs/mlops-training";
const REPO = { owner: "octo", name: "ml" };
const gcs = gcsEmulator();
let fake: FakeCloudRun | undefined;
afterEach(() => fake?.stop());

/** A two-stage DVC project; each stage that really runs adds a line to `ran`, outside the checkout. */
function checkout(dir: string, name: string, input: string): string {
  const root = path.join(dir, name);
  const ran = path.join(dir, "ran");
  const files = {
    "ml/.dvc/config": "[core]\n    analytics = false\n    check_update = false\n",
    "ml/in.txt": input,
    "ml/dvc.yaml": [
      "stages:",
      "  a:",
      `    cmd: sh -c 'echo a >> ${ran}; cat in.txt in.txt > mid.txt'`,
      "    deps: [in.txt]",
      "    outs: [mid.txt]",
      "  b:",
      `    cmd: sh -c 'echo b >> ${ran}; cat mid.txt > out.txt'`,
      "    deps: [mid.txt]",
      "    outs: [out.txt]",
      "",
    ].join("\n"),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** The run folders and the cache in folders, or (`gcs`) both in Cloud Storage, where DVC reaches the cache through dvc-gs. */
function setup(where: "folders" | "gcs" = "folders") {
  const dir = tempDir();
  const endpoint = where === "gcs" ? gcs!.endpoint : undefined;
  const exchange = where === "gcs" ? gcs!.url("cloud-run-runs") : pathToFileURL(path.join(dir, "bucket")).href;
  const cacheRoot = where === "gcs" ? gcs!.url("cloud-run-dvc-cache") : path.join(dir, "cache");
  const open = (url: string) => createArtifactStore(url, { gcsEndpoint: endpoint });
  fake = new FakeCloudRun(JOB, { PATH: JOB_PATH, HOME: dir, MLOPS_JOB_ROOT: dir, DVC_NO_ANALYTICS: "1", ...(endpoint ? { MLOPS_GCS_ENDPOINT: endpoint } : {}) });
  const runner = new CloudRunJobRunner({
    job: JOB,
    artifacts: where === "gcs" ? GcsArtifactStore.fromUrl(exchange, { apiEndpoint: endpoint }) : new FsArtifactStore(path.join(dir, "bucket")),
    artifactsUrl: exchange,
    pollMs: 100,
    clientOptions: cloudRunClientOptions(),
    dvcCache: { root: cacheRoot, open },
  });
  const layer = (l: RemoteCacheLayer) => open(remoteCacheLayerUrl(cacheRoot, REPO, l));
  const ran = () => readFileSync(path.join(dir, "ran"), "utf8").split("\n").filter(Boolean);
  const train = async (root: string, layer: RemoteCacheLayer) => {
    let log = "";
    const result = await runner.run({
      argv: ["dvc", "repro"],
      source: { root, workdir: "ml" },
      env: { DVC_NO_ANALYTICS: "1" },
      timeoutMs: 120_000,
      logLimitBytes: 1_000_000,
      log: new Writable({ write: (c: Buffer, _e, cb) => ((log += c.toString()), cb()) }),
      signal: new AbortController().signal,
      remoteCache: { repo: REPO, layer },
    });
    expect(result.outcome, log).toBe("succeeded");
    return log;
  };
  return { dir, layer, ran, train };
}

describe("Cloud Run jobs and the remote DVC run-cache (real dvc in the job agent; Cloud Run faked)", () => {
  it("a default-branch run fills the shared layer; a pull request restores from it and writes only its own layer; a poisoned PR layer is used by no default-branch run", async () => {
    const { dir, layer, ran, train } = setup();
    const log1 = await train(checkout(dir, "main-1", "hello\n"), { kind: "default" });
    expect(ran()).toEqual(["a", "b"]);
    expect(log1).toMatch(/stored \d+ new objects .* in the default branch's layer/);
    const shared = await (await layer({ kind: "default" })).list("");
    expect(shared.filter((k) => k.startsWith("runs/"))).toHaveLength(2);

    // A pull request at the same inputs: both stages restored from the default branch's run-cache, nothing runs.
    const log2 = await train(checkout(dir, "pr-1", "hello\n"), { kind: "pull-request", number: 7 });
    expect(ran()).toEqual(["a", "b"]);
    expect(log2).toMatch(/Stage 'a' is cached - skipping run/);
    expect(log2).toMatch(/in pull request #7's layer/);

    // A pull request with other data: its runs go to its own layer, never the default branch's.
    await train(checkout(dir, "pr-2", "poison\n"), { kind: "pull-request", number: 7 });
    expect(ran()).toEqual(["a", "b", "a", "b"]);
    expect(await (await layer({ kind: "default" })).list("")).toEqual(shared);
    expect((await (await layer({ kind: "pull-request", number: 7 })).list("")).filter((k) => k.startsWith("runs/")).length).toBe(4);

    // The same PR again: restored from its own layer (copied into the task's cache first).
    const log4 = await train(checkout(dir, "pr-3", "poison\n"), { kind: "pull-request", number: 7 });
    expect(ran()).toEqual(["a", "b", "a", "b"]);
    expect(log4).toMatch(/objects \(\d+ bytes\) copied from this pull request's own layer/);

    // The default branch at the PR's inputs does not restore the PR's runs: it runs the stages itself.
    await train(checkout(dir, "main-2", "poison\n"), { kind: "default" });
    expect(ran()).toEqual(["a", "b", "a", "b", "a", "b"]);
  }, 300_000);

  it.runIf(gcs)("does the same through Cloud Storage (fake-gcs-server): dvc-gs reads the default branch's layer, the bot writes the layers", async () => {
    const { dir, layer, ran, train } = setup("gcs");
    await train(checkout(dir, "main-1", "hello\n"), { kind: "default" });
    expect(ran()).toEqual(["a", "b"]);
    const shared = await (await layer({ kind: "default" })).list("");
    expect(shared.filter((k) => k.startsWith("runs/"))).toHaveLength(2);
    const log = await train(checkout(dir, "pr-1", "hello\n"), { kind: "pull-request", number: 8 });
    expect(ran()).toEqual(["a", "b"]);
    expect(log).toMatch(/Stage 'a' is cached - skipping run/);
    expect(await (await layer({ kind: "default" })).list("")).toEqual(shared);
    expect((await (await layer({ kind: "pull-request", number: 8 })).list("")).length).toBeGreaterThan(0);
  }, 300_000);

  it("stores only DVC's key layout, within the size limits, and only in the layer the run may write", async () => {
    const dir = tempDir();
    const artifacts = new FsArtifactStore(path.join(dir, "bucket"));
    const cacheRoot = path.join(dir, "cache");
    const prefix = "runs/2026-12-01/x";
    const good = `files/md5/ab/${"c".repeat(30)}`;
    await artifacts.put(`${prefix}/dvc/${good}`, "data");
    await artifacts.put(`${prefix}/dvc/files/md5/ab/${"c".repeat(30)}.dir`, "[]");
    for (const bad of ["files/md5/ab/short", "runs/ab/zz/zz", "default/octo/ml/files/md5/ab/" + "d".repeat(30), "files/md5/AB/" + "C".repeat(30), "notes.txt"]) {
      await artifacts.put(`${prefix}/dvc/${bad}`, "x");
    }
    const line = await storeCachePush({
      cache: { root: cacheRoot, open: (url) => createArtifactStore(url) },
      request: { remoteCache: { repo: REPO, layer: { kind: "pull-request", number: 3 } } },
      artifacts,
      prefix,
    });
    expect(line).toBe("DVC cache: stored 2 new objects (6 bytes) of this run in pull request #3's layer; 5 left out (not DVC's key layout, or over the size limits).");
    expect(await new FsArtifactStore(cacheRoot).list("")).toEqual([`pr/octo/ml/3/${good}`, `pr/octo/ml/3/${good}.dir`]);
  });
});
