import { readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LocalProcessRunner } from "../../src/adapters/runners/local-process-runner.js";
import { NoSandbox } from "../../src/adapters/runners/sandbox/no-sandbox.js";
import { GitSourceProvider } from "../../src/adapters/source/git-source-provider.js";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { parseRepoConfig } from "../../src/config/parse-repo-config.js";
import { runTraining } from "../../src/jobs/run-training.js";
import { commitFiles, git, initRepo } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/temp-dir.js";

// A tiny pipeline in sh: reads lr from params.yaml, writes metrics and a plot. Fast, and real.
const train = `lr=$(sed -n 's/^ *lr: \\([0-9.]*\\).*/\\1/p' params.yaml); echo "training with lr=$lr"; mkdir -p plots; echo "{\\"accuracy\\": $lr}" > metrics.json; echo "x,y" > plots/curve.csv`;
const config = (() => {
  const c = parseRepoConfig(`pipeline:\n  workdir: proj\n  train: [sh, -c, '${train.replace(/'/g, "''")}']\n`);
  if (!c.ok) throw new Error(JSON.stringify(c.error));
  return c.value;
})();

function setup(baseFiles: Record<string, string>) {
  const dir = tempDir();
  const origin = initRepo(path.join(dir, "origin", "o", "r"));
  const base = commitFiles(origin, baseFiles, "base");
  const head = commitFiles(origin, { "proj/params.yaml": "train:\n  lr: 0.5 # learning rate\n" }, "head");
  const sources = new GitSourceProvider({ root: path.join(dir, "sources"), cloneUrl: path.join(dir, "origin", "{owner}", "{repo}") });
  const artifacts = new FsArtifactStore(path.join(dir, "artifacts"));
  return { origin, base, head, sources, artifacts };
}

async function run(s: ReturnType<typeof setup>, extra: Partial<Parameters<typeof runTraining>[0]> = {}) {
  const source = await s.sources.checkout({ repo: { owner: "o", name: "r" }, sha: s.head, alsoFetch: [s.base] });
  try {
    return await runTraining({
      source,
      base: { ref: "main", sha: s.base },
      pipeline: config.pipeline,
      overrides: [],
      runner: new LocalProcessRunner({ sandbox: new NoSandbox() }),
      env: { PATH: process.env.PATH! },
      artifacts: s.artifacts,
      prefix: "jobs/j1",
      signal: new AbortController().signal,
      ...extra,
    });
  } finally {
    await source.release();
  }
}

describe("runTraining", () => {
  it("writes overrides into the checkout, runs, and collects metrics, params, plots and the log", async () => {
    const s = setup({ "proj/params.yaml": "train:\n  lr: 0.1 # learning rate\n", "proj/metrics.json": '{"accuracy": 0.1}' });
    const result = await run(s, { overrides: [{ file: "proj/params.yaml", key: "train.lr", path: ["train", "lr"], value: 0.25, literal: "0.25", type: "float" }] });

    expect(result.outcome).toBe("succeeded");
    expect(result.head.params).toEqual({ "proj/params.yaml": "train:\n  lr: 0.25 # learning rate\n" });
    expect(result.head.metrics).toEqual({ "proj/metrics.json": '{"accuracy": 0.25}\n' });
    expect(result.base).toEqual({
      source: "commit",
      ref: "main",
      sha: s.base,
      metrics: { "proj/metrics.json": '{"accuracy": 0.1}' },
      params: { "proj/params.yaml": "train:\n  lr: 0.1 # learning rate\n" },
    });
    expect(result.artifacts).toEqual(["jobs/j1/log.txt", "jobs/j1/results/proj/metrics.json", "jobs/j1/results/proj/params.yaml", "jobs/j1/results/proj/plots/curve.csv"]);
    expect((await s.artifacts.get("jobs/j1/log.txt"))?.toString()).toBe("training with lr=0.25\n");
    expect(readFileSync(path.join(s.origin, "proj/params.yaml"), "utf8")).toContain("lr: 0.5"); // the origin is untouched
  });

  it("takes the base metrics from the last successful run when the base commit has none", async () => {
    const s = setup({ "proj/params.yaml": "train:\n  lr: 0.1\n" });
    const result = await run(s, { previousBaseRun: () => Promise.resolve({ metrics: { "proj/metrics.json": '{"accuracy": 0.3}' }, params: {}, sha: "abc" }) });
    expect(result.base).toMatchObject({ source: "run", sha: "abc", metrics: { "proj/metrics.json": '{"accuracy": 0.3}' } });
  });

  it("says there is no base when neither the commit nor a run has metrics", async () => {
    const s = setup({ "proj/params.yaml": "train:\n  lr: 0.1\n" });
    const result = await run(s, { previousBaseRun: () => Promise.resolve(undefined) });
    expect(result.base.source).toBe("none");
    expect(result.base.metrics).toEqual({});
  });

  it("collects no metrics from a failed run but keeps its log tail", async () => {
    const s = setup({ "proj/params.yaml": "train:\n  lr: 0.1\n" });
    const failing = parseRepoConfig("pipeline:\n  workdir: proj\n  train: [sh, -c, 'echo {} > metrics.json; echo broken >&2; exit 2']\n");
    if (!failing.ok) throw new Error("config");
    const result = await run(s, { pipeline: failing.value.pipeline });
    expect(result.outcome).toBe("failed");
    expect(result.head.metrics).toEqual({});
    expect(result.logTail).toEqual(["broken"]);
    expect(git(s.origin, "status", "--porcelain")).toBe("");
  });

  it("reads no output through a link: a params file committed as a link, metrics and plots the job made links", async () => {
    const s = setup({ "proj/params.yaml": "train:\n  lr: 0.1\n" });
    const secret = path.join(path.dirname(s.origin), "bot-secret.txt");
    writeFileSync(secret, "planted-secret-value");
    unlinkSync(path.join(s.origin, "proj", "params.yaml"));
    symlinkSync(secret, path.join(s.origin, "proj", "params.yaml"));
    s.head = commitFiles(s.origin, {}, "params as a link");
    const hostile = parseRepoConfig(
      `pipeline:\n  workdir: proj\n  train: [sh, -c, 'ln -s ${secret} metrics.json; ln -s ${path.dirname(secret)} plots; echo done']\n`,
    );
    if (!hostile.ok) throw new Error("config");
    const result = await run(s, { pipeline: hostile.value.pipeline });
    expect(result.outcome).toBe("succeeded");
    expect(result.head).toEqual({ metrics: {}, params: {} });
    expect(result.outputNotes).toEqual([
      "`proj/metrics.json` is a link: not collected (outputs are read only from regular files inside the job's folder)",
      "`proj/params.yaml` is a link: not collected (outputs are read only from regular files inside the job's folder)",
      "`proj/plots` is a link: not collected (outputs are read only from regular files inside the job's folder)",
    ]);
    expect(JSON.stringify(result)).not.toContain("planted-secret-value");
    expect(await s.artifacts.list("jobs/j1/results")).toEqual([]);

    // An override would be written into the file: the bot refuses instead of writing through the link.
    await expect(run(s, { overrides: [{ file: "proj/params.yaml", key: "train.lr", path: ["train", "lr"], value: 0.2, literal: "0.2", type: "float" }] })).rejects.toThrow(
      "The overrides cannot be written: `proj/params.yaml` is a link in the checkout (params files must be regular files inside the repository).",
    );
    expect(readFileSync(secret, "utf8")).toBe("planted-secret-value");
  });

  it("keeps no model through a link: a model file the job made a link to a bot file is not stored or promotable", async () => {
    const s = setup({ "proj/params.yaml": "train:\n  lr: 0.1\n" });
    const secret = path.join(path.dirname(s.origin), "bot-secret.txt");
    writeFileSync(secret, "planted-secret-value");
    const hostile = parseRepoConfig(`pipeline:\n  workdir: proj\n  model: model.onnx\n  train: [sh, -c, 'ln -s ${secret} model.onnx; echo done']\n`);
    if (!hostile.ok) throw new Error(JSON.stringify(hostile));
    const result = await run(s, { pipeline: hostile.value.pipeline });
    expect(result.outcome).toBe("succeeded");
    expect(result.model).toBeUndefined();
    expect(JSON.stringify(result)).not.toContain("planted-secret-value");
    expect(await s.artifacts.list("jobs/j1/model")).toEqual([]);
  });
});
