import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { readInside } from "../adapters/files/read-inside.js";
import { knownSecretValues } from "../adapters/secrets/secret-values.js";
import { writeInside } from "../adapters/files/write-inside.js";
import type { RepoConfig } from "../config/repo-config-schema.js";
import { UsageError } from "../core/errors.js";
import { applyOverrides } from "../core/overrides/apply-overrides.js";
import type { TypedOverride } from "../core/overrides/validate-overrides.js";
import { findFailingStage } from "../core/pipeline/find-failing-stage.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { JobRunner, RunRequest, RunResult } from "../ports/job-runner.js";
import type { PreparedSource } from "../ports/source-provider.js";
import { FILE_OUTPUT_LIMITS, TEXT_OUTPUT_LIMITS } from "../core/output-limits.js";
import { configureDvcCache } from "../adapters/cache/configure-dvc-cache.js";
import type { DvcCacheLayers } from "../core/dvc/plan-dvc-cache.js";
import { collectOutputs } from "./collect-outputs.js";
import { compareRunPlots } from "./compare-run-plots.js";
import type { ParseFile } from "../core/limits/parse-repository-file.js";
import type { FileTexts, TrainingResult } from "../core/train/training-result.js";

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
  /** The shared DVC cache's layers this job uses (runners that show host folders only); none: DVC's own cache in the checkout. */
  readonly dvcCache?: DvcCacheLayers | undefined;
  /** The repository and the cache layer this job may write, for a runner with a remote DVC cache (Cloud Run). */
  readonly remoteCache?: RunRequest["remoteCache"];
  /** Base metrics/params from the last successful run on the base branch, when the base commit has none. */
  readonly previousBaseRun?: () => Promise<{ metrics: FileTexts; params: FileTexts; sha: string } | undefined>;
  /** Parses what the run wrote (its plots) where a bad file cannot stop the caller: the bot's parse workers. */
  readonly parse?: ParseFile;
}

/**
 * One training run, shared by the bot's worker and the CLI: write the overrides into the
 * checkout's params files, run the pipeline command, then collect the declared metrics, params
 * and plots into the artifact store (as untrusted files: `collectOutputs`), and the base's
 * numbers to compare with.
 */
export async function runTraining(req: TrainingRequest): Promise<TrainingResult> {
  const { source, pipeline, artifacts, prefix } = req;
  const repoPath = (p: string) => path.posix.join(pipeline.workdir, p);

  await writeOverrides(source.dir, req.overrides);

  const logKey = `${prefix}/log.txt`;
  const run = await runPipeline(req, logKey);

  const stored: string[] = [logKey];
  const workdir = path.join(source.dir, pipeline.workdir);
  const outputs = run.outputRoot ?? workdir;
  const succeeded = run.outcome === "succeeded";
  const none = { files: new Map<string, Buffer>(), notes: [] as string[] };
  const collected = {
    metrics: succeeded ? await collectOutputs({ root: outputs, entries: pipeline.metrics, limits: TEXT_OUTPUT_LIMITS, label: repoPath }) : none,
    params: await collectOutputs({ root: workdir, entries: pipeline.params, limits: TEXT_OUTPUT_LIMITS, label: repoPath }),
    plots: succeeded ? await collectOutputs({ root: outputs, entries: pipeline.plots, limits: FILE_OUTPUT_LIMITS, label: repoPath }) : none,
  };
  const store = async (files: ReadonlyMap<string, Buffer>): Promise<FileTexts> => {
    const texts: FileTexts = {};
    for (const [rel, raw] of files) {
      const data = knownSecretValues.redactBytes(raw);
      texts[repoPath(rel)] = data.toString("utf8");
      await artifacts.put(`${prefix}/results/${repoPath(rel)}`, data);
      stored.push(`${prefix}/results/${repoPath(rel)}`);
    }
    return texts;
  };
  const metrics = await store(collected.metrics.files);
  const params = await store(collected.params.files);
  const plotFiles = await store(collected.plots.files);
  const plots = succeeded && req.parse ? await compareRunPlots({ source, workdir: pipeline.workdir, baseSha: req.base.sha, head: plotFiles, parse: req.parse }) : undefined;
  const model = succeeded ? await storeModel({ root: outputs, file: pipeline.model, artifacts, prefix, repoPath }) : undefined;
  if (model?.key) stored.push(model.key);
  const outputNotes = [...collected.metrics.notes, ...collected.params.notes, ...collected.plots.notes, ...(model?.note ? [model.note] : [])];
  const sizes = run.resources ?? req.runner.resources;

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
    ...(outputNotes.length ? { outputNotes } : {}),
    ...(plots ? { plots } : {}),
    ...(model?.key ? { model: { key: model.key, path: repoPath(pipeline.model), bytes: model.bytes, sha256: model.sha256 } } : {}),
    error: run.error,
    ...(sizes ? { resources: { runner: req.runner.name, wallMs: run.durationMs, ...sizes } } : {}),
  };
}

/** Runs the pipeline command on the job's runner (with the shared DVC cache when it has one), its log streamed to `logKey`. */
async function runPipeline(req: TrainingRequest, logKey: string): Promise<RunResult> {
  const { source, pipeline } = req;
  const log = req.artifacts.openWrite(logKey);
  const cache = req.dvcCache ? await configureDvcCache({ root: source.dir, workdir: pipeline.workdir, argv: pipeline.train, layers: req.dvcCache }) : undefined;
  if (cache && (cache.ok || !cache.noProject)) log.write(`[mlops-bot] ${describeCache(cache, req.dvcCache!)}\n`);
  return req.runner.run({
    argv: cache?.ok ? cache.argv : pipeline.train,
    source: { root: source.dir, workdir: pipeline.workdir },
    env: req.env,
    mounts: [...source.shared.map((host) => ({ host, writable: false })), ...(cache?.ok ? cache.mounts : [])],
    network: req.network ?? true,
    timeoutMs: pipeline.timeout * 1000,
    logLimitBytes: pipeline.log_limit_mb * 1024 * 1024,
    log,
    onOutput: req.onOutput,
    signal: req.signal,
    image: req.image,
    collect: [...pipeline.metrics, ...pipeline.plots, pipeline.model],
    outputDir: source.outputDir,
    resume: req.resume,
    onHandle: req.onHandle,
    remoteCache: req.remoteCache,
  });
}

function describeCache(cache: Awaited<ReturnType<typeof configureDvcCache>>, layers: DvcCacheLayers): string {
  if (!cache.ok) return `The shared DVC cache is not used: ${cache.why}.`;
  if (!layers.base) return "DVC cache: this branch's shared layer (read-write).";
  if (layers.baseEmpty) return "DVC cache: this pull request's layer (read-write); the default branch's layer (read-only) holds nothing yet, so there is nothing to restore from it.";
  return cache.readsBase
    ? "DVC cache: this pull request's layer (read-write), restoring from the default branch's layer (read-only) with `dvc repro --pull`."
    : "DVC cache: this pull request's layer (read-write); the default branch's layer is the read-only DVC remote `mlops-bot-base`.";
}

/**
 * The model file a successful run wrote (`pipeline.model`), read without trust like every output
 * (a regular file inside the job's folder, within the size limit), stored as the run's model: what
 * a promotion serves. Its SHA-256 is of the stored bytes.
 */
async function storeModel(params: { root: string; file: string; artifacts: ArtifactStore; prefix: string; repoPath: (p: string) => string }) {
  const { files, notes } = await collectOutputs({ root: params.root, entries: [params.file], limits: { ...FILE_OUTPUT_LIMITS, maxFiles: 1 }, label: params.repoPath });
  const [found] = [...files];
  if (!found) return { note: notes[0] };
  const data = knownSecretValues.redactBytes(found[1]);
  const key = `${params.prefix}/model/${params.repoPath(found[0])}`;
  await params.artifacts.put(key, data);
  return { key, bytes: data.length, sha256: createHash("sha256").update(data).digest("hex"), note: notes[0] };
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

/**
 * Writes the overrides into the checkout's params files, which come from the PR: each must be a
 * regular file inside the checkout (a link is refused, never followed), and is replaced, not
 * written through.
 */
async function writeOverrides(root: string, overrides: readonly TypedOverride[]): Promise<void> {
  for (const file of new Set(overrides.map((o) => o.file))) {
    const read = await readInside(root, file, TEXT_OUTPUT_LIMITS.perFileBytes);
    if (!read.ok) throw new UsageError(`The overrides cannot be written: \`${file}\` ${read.why} in the checkout (params files must be regular files inside the repository).`);
    const text = applyOverrides({ file, text: read.data.toString("utf8"), overrides: overrides.filter((o) => o.file === file) });
    await rm(path.join(root, file));
    const refused = await writeInside(root, file, Buffer.from(text));
    if (refused) throw new UsageError(`The overrides cannot be written: \`${file}\` ${refused}.`);
  }
}
