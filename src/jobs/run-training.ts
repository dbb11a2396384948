import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RepoConfig } from "../config/repo-config-schema.js";
import { applyOverrides } from "../core/overrides/apply-overrides.js";
import type { TypedOverride } from "../core/overrides/validate-overrides.js";
import { findFailingStage } from "../core/pipeline/find-failing-stage.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { JobRunner, RunResult } from "../ports/job-runner.js";
import type { PreparedSource } from "../ports/source-provider.js";

/** Files by repository path -> text. */
export type FileTexts = Record<string, string>;

/** What a training run produced: stored as the job's result, rendered by the train report. */
export interface TrainingResult {
  readonly outcome: RunResult["outcome"];
  readonly durationMs: number;
  readonly headSha: string;
  readonly overrides: readonly TypedOverride[];
  readonly head: { readonly metrics: FileTexts; readonly params: FileTexts };
  readonly base: {
    /** Where the base numbers came from: the base commit's files, an earlier run, or nowhere. */
    readonly source: "commit" | "run" | "none";
    readonly ref: string | null;
    readonly sha: string | null;
    readonly metrics: FileTexts;
    readonly params: FileTexts;
  };
  /** Keys of the stored artifacts (log, plots, metrics). */
  readonly artifacts: readonly string[];
  readonly logKey: string;
  /** The last lines of output, kept for failures. */
  readonly logTail: readonly string[];
  readonly failingStage?: string | undefined;
  readonly error?: string | undefined;
}

export interface TrainingRequest {
  readonly source: PreparedSource;
  readonly base: { readonly ref: string | null; readonly sha: string | null };
  readonly pipeline: RepoConfig["pipeline"];
  /** Whether the job may reach the network (`sandbox.network`; default true). */
  readonly network?: boolean;
  readonly overrides: readonly TypedOverride[];
  readonly runner: JobRunner;
  readonly image?: string | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly artifacts: ArtifactStore;
  /** Artifact key prefix for this run, e.g. `jobs/<id>`. */
  readonly prefix: string;
  readonly signal: AbortSignal;
  readonly onOutput?: (text: string) => void;
  /** A remote run already started before a bot restart, to follow instead of starting another. */
  readonly resume?: string | undefined;
  /** Stores a remote run's handle as soon as it has one. */
  readonly onHandle?: ((handle: string) => Promise<void>) | undefined;
  /** Base metrics/params from the last successful run on the base branch, when the base commit has none. */
  readonly previousBaseRun?: () => Promise<{ metrics: FileTexts; params: FileTexts; sha: string } | undefined>;
}

/**
 * One training run, shared by the bot's worker and the CLI: write the overrides into the
 * checkout's params files, run the pipeline command, then collect the declared metrics, params
 * and plots into the artifact store, and the base's numbers to compare with.
 */
export async function runTraining(req: TrainingRequest): Promise<TrainingResult> {
  const { source, pipeline, artifacts, prefix } = req;
  const repoPath = (p: string) => path.posix.join(pipeline.workdir, p);

  for (const file of new Set(req.overrides.map((o) => o.file))) {
    const full = path.join(source.dir, file);
    const text = await readFile(full, "utf8");
    await writeFile(full, applyOverrides({ file, text, overrides: req.overrides.filter((o) => o.file === file) }));
  }

  const logKey = `${prefix}/log.txt`;
  const run = await req.runner.run({
    argv: pipeline.train,
    source: { root: source.dir, workdir: pipeline.workdir },
    env: req.env,
    mounts: source.shared.map((host) => ({ host, writable: false })),
    network: req.network ?? true,
    timeoutMs: pipeline.timeout * 1000,
    logLimitBytes: pipeline.log_limit_mb * 1024 * 1024,
    log: artifacts.openWrite(logKey),
    onOutput: req.onOutput,
    signal: req.signal,
    image: req.image,
    collect: [...pipeline.metrics, ...pipeline.plots],
    resume: req.resume,
    onHandle: req.onHandle,
  });

  const stored: string[] = [logKey];
  const collect = async (files: readonly string[]): Promise<FileTexts> => {
    const out: FileTexts = {};
    for (const file of files) {
      const text = await readFile(path.join(source.dir, repoPath(file)), "utf8").catch(() => undefined);
      if (text === undefined) continue;
      out[repoPath(file)] = text;
      await artifacts.put(`${prefix}/results/${repoPath(file)}`, text);
      stored.push(`${prefix}/results/${repoPath(file)}`);
    }
    return out;
  };
  const metrics = run.outcome === "succeeded" ? await collect(pipeline.metrics) : {};
  const params = await collect(pipeline.params);
  if (run.outcome === "succeeded") {
    for (const plot of await listFiles(path.join(source.dir, pipeline.workdir), pipeline.plots)) {
      const key = `${prefix}/results/${repoPath(plot)}`;
      await artifacts.put(key, await readFile(path.join(source.dir, repoPath(plot))));
      stored.push(key);
    }
  }

  return {
    outcome: run.outcome,
    durationMs: run.durationMs,
    headSha: source.sha,
    overrides: req.overrides,
    head: { metrics, params },
    base: await loadBase(req, repoPath),
    artifacts: stored,
    logKey,
    logTail: run.logTail,
    failingStage: run.outcome === "failed" ? findFailingStage(run.logTail) : undefined,
    error: run.error,
  };
}

async function loadBase(req: TrainingRequest, repoPath: (p: string) => string): Promise<TrainingResult["base"]> {
  const { sha, ref } = req.base;
  const read = async (files: readonly string[]) => {
    const out: FileTexts = {};
    if (!sha) return out;
    for (const file of files) {
      const text = await req.source.readFileAt(sha, repoPath(file));
      if (text !== undefined) out[repoPath(file)] = text;
    }
    return out;
  };
  const metrics = await read(req.pipeline.metrics);
  const params = await read(req.pipeline.params);
  if (Object.keys(metrics).length > 0) return { source: "commit", ref, sha, metrics, params };
  const previous = await req.previousBaseRun?.();
  if (previous) return { source: "run", ref, sha: previous.sha, metrics: previous.metrics, params: previous.params };
  return { source: "none", ref, sha, metrics, params };
}

/** Files under the declared plot paths (a path ending in `/` is a folder), relative to the workdir. */
async function listFiles(workdir: string, entries: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const entry of entries) {
    const full = path.join(workdir, entry);
    const items = await readdir(full, { recursive: true, withFileTypes: true }).catch(() => undefined);
    if (items) {
      for (const item of items) {
        if (item.isFile()) out.push(path.relative(workdir, path.join(item.parentPath, item.name)).split(path.sep).join("/"));
      }
    } else if (await readFile(full).then(() => true, () => false)) out.push(entry);
  }
  return out.sort();
}
