import { randomUUID } from "node:crypto";
import { ExecutionsClient, JobsClient } from "@google-cloud/run";
import * as tar from "tar";
import { FILE_OUTPUT_LIMITS } from "../../core/output-limits.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { writeInside } from "../files/write-inside.js";
import { knownSecretValues } from "../secrets/secret-values.js";
import type { JobRunner, RunRequest, RunResult } from "../../ports/job-runner.js";
import { err } from "../../core/result.js";
import { parseCompletionRecord, parseRunnerHandle, type CompletionRecord, type RunnerHandle } from "./cloud-run-records.js";
import { cacheArgs, storeCachePush, type RemoteDvcCache } from "./cloud-run-dvc-cache.js";
import { LogPieceReader } from "./cloud-run-log-pieces.js";
import { createLogSink } from "./create-log-sink.js";
import { cloudRunResources, type TaskTemplateSizes } from "./cloud-run-resources.js";

/** A completion record is a few KiB (its log tail is at most 60 lines of 2,000 characters); one far larger was not written by the agent. */
const MAX_RECORD_BYTES = 1024 * 1024;

export interface CloudRunRunnerOptions {
  /** `projects/<p>/locations/<l>/jobs/<job>`: the training Cloud Run Job. */
  readonly job: string;
  /** Where runs exchange files (source tarball, log, results, completion record). */
  readonly artifacts: ArtifactStore;
  /** The same store as the job sees it, e.g. `gs://bucket/prefix` (passed to `mlops-bot job`). */
  readonly artifactsUrl: string;
  readonly pollMs?: number;
  /** The remote DVC cache jobs restore from and whose layers the bot fills with their runs (`MLOPS_CLOUD_RUN_DVC_CACHE`). */
  readonly dvcCache?: RemoteDvcCache | undefined;
  /** Client options (tests pass an auth client and the REST fallback); default: ADC over REST. */
  readonly clientOptions?: Record<string, unknown>;
}

/**
 * Trains as a Cloud Run Job execution: the checkout goes up as a tarball, `runJob` starts an
 * execution with per-run overrides (its args tell `mlops-bot job` where the run's files are),
 * the bot polls the execution and, as it does, the log pieces the agent uploads (into the job's
 * log, so its page is live), then reads the completion record, the rest of the log and the results
 * back (into the request's `outputDir`). Cancel cancels the execution; a bot restart follows it again by its name.
 */
export class CloudRunJobRunner implements JobRunner {
  readonly name = "cloud-run";
  private readonly jobs: JobsClient;
  private readonly executions: ExecutionsClient;

  constructor(private readonly options: CloudRunRunnerOptions) {
    const clientOptions = { fallback: true, ...options.clientOptions };
    this.jobs = new JobsClient(clientOptions);
    this.executions = new ExecutionsClient(clientOptions);
  }

  async run(request: RunRequest): Promise<RunResult> {
    const started = Date.now();
    const handle = request.resume === undefined ? undefined : parseRunnerHandle(request.resume);
    if (handle && !handle.ok) return failedToStart(request, started, `The Cloud Run run this job started earlier cannot be followed: ${handle.error}.`);
    let run: RunnerHandle;
    try {
      run = handle ? handle.value : await this.start(request);
    } catch (e) {
      return failedToStart(request, started, `Could not start the Cloud Run job ${this.options.job}: ${(e as Error).message}`);
    }
    const { execution, prefix } = run;
    const { artifacts } = this.options;
    // The log comes in pieces while the execution runs, into the job's log (and so its live page).
    const sink = createLogSink(request);
    const pieces = new LogPieceReader({ artifacts, prefix, sink });
    const state = await this.follow(execution, request, () => pieces.poll().catch(() => undefined));
    const stored = await artifacts.get(`${prefix}/completion.json`, { maxBytes: MAX_RECORD_BYTES });
    const parsed = stored && (stored.length > MAX_RECORD_BYTES ? err(`completion.json is over ${MAX_RECORD_BYTES} bytes`) : parseCompletionRecord(stored.toString("utf8")));
    const record = parsed?.ok ? parsed.value : undefined;
    await pieces.finish(record?.logPieces).catch((e: Error) => sink.write(Buffer.from(`\n[mlops-bot: the rest of the log could not be read: ${e.message}]\n`)));
    sink.finish();
    // The bot's own words come after the job's log, whatever its limit.
    const notes = await this.download(prefix, request);
    if (notes.length) request.log.write(knownSecretValues.redact(`\n[mlops-bot: outputs not brought back]\n${notes.map((n) => `- ${n}`).join("\n")}\n`));
    const cacheNote = record?.outcome === "succeeded" ? await this.storeCache(prefix, request) : undefined;
    if (cacheNote) request.log.write(`[mlops-bot] ${cacheNote}\n`);
    await new Promise<void>((resolve) => request.log.end(resolve));

    const durationMs = record?.durationMs ?? Date.now() - started;
    const outputRoot = request.outputDir;
    // What the task was given, for the run's cost: from the execution Cloud Run ran, not from our config.
    const resources = cloudRunResources(state.template);
    if (state.kind === "cancelled") return { ...summary(record, durationMs), outcome: "cancelled", outputRoot, resources };
    if (record) return { ...summary(record, durationMs), outcome: record.outcome, outputRoot, resources };
    const error = endedWithoutRecord(execution, state, parsed && !parsed.ok ? parsed.error : undefined);
    return { outcome: error.timedOut ? "timed_out" : "failed", exitCode: null, durationMs, logTail: [error.text], logBytes: sink.bytes, logTruncated: sink.truncated, error: error.text, resources };
  }

  /** Uploads the checkout and starts an execution; its handle is stored (`onHandle`) before anything else happens. */
  private async start(request: RunRequest): Promise<RunnerHandle> {
    const prefix = `runs/${new Date().toISOString().slice(0, 10)}/${randomUUID()}`;
    await this.options.artifacts.put(`${prefix}/source.tar.gz`, await tarDirectory(request.source.root));
    const timeout = String(Math.ceil(request.timeoutMs / 1000));
    const args = ["mlops-bot", "job", "--run", `${this.options.artifactsUrl.replace(/\/+$/, "")}/${prefix}`, "--workdir", request.source.workdir, "--timeout", timeout, "--log-limit", String(request.logLimitBytes)];
    for (const p of request.collect ?? []) args.push("--collect", p);
    // The job's variables come as overrides; the agent passes the pipeline these names and nothing else of its environment.
    const env = Object.entries(request.env).filter(([k]) => k !== "PATH" && k !== "HOME");
    for (const [name] of env) args.push("--env", name);
    args.push(...cacheArgs(this.options.dvcCache, request), "--", ...request.argv);
    const [operation] = await this.jobs.runJob({
      name: this.options.job,
      overrides: {
        containerOverrides: [{ args, env: env.map(([name, value]) => ({ name, value })) }],
        taskCount: 1,
        // The pipeline's own timeout is enforced inside; this is the backstop.
        timeout: { seconds: Math.ceil(request.timeoutMs / 1000) + 300 },
      },
    });
    const execution = (operation.metadata as { name?: string } | null)?.name ?? "";
    if (!execution) throw new Error("runJob returned no execution name");
    await request.onHandle?.(JSON.stringify({ execution, prefix }));
    return { execution, prefix };
  }

  /** Stores what a run pushed to the cache in the layer it may write; a failure is a line in the log, not a failed run. */
  private async storeCache(prefix: string, request: RunRequest): Promise<string | undefined> {
    const cache = this.options.dvcCache;
    if (!cache) return undefined;
    return storeCachePush({ cache, request, artifacts: this.options.artifacts, prefix }).catch((e: Error) => `DVC cache: this run's objects were not stored: ${knownSecretValues.redact(e.message)}`);
  }

  /** Polls the execution until it completes; cancels it when the request is aborted. */
  private async follow(
    execution: string,
    request: RunRequest,
    onPoll: () => Promise<unknown>,
  ): Promise<{ kind: "succeeded" | "failed" | "cancelled" | "timed_out"; message: string; template?: TaskTemplateSizes | null | undefined }> {
    const deadline = Date.now() + request.timeoutMs + 10 * 60_000;
    let cancelSent = false;
    let template: TaskTemplateSizes | null | undefined;
    for (;;) {
      if (request.signal.aborted && !cancelSent) {
        cancelSent = true;
        await this.executions.cancelExecution({ name: execution }).catch(() => undefined);
      }
      const [status] = await this.executions.getExecution({ name: execution });
      await onPoll();
      template = status.template;
      const completed = status.conditions?.find((c) => c.type === "Completed");
      const terminal = status.completionTime || completed?.state === "CONDITION_SUCCEEDED" || completed?.state === "CONDITION_FAILED";
      if (terminal) {
        if ((status.cancelledCount ?? 0) > 0 || String(completed?.executionReason) === "CANCELLED" || cancelSent) return { kind: "cancelled", message: completed?.message ?? "", template };
        if ((status.succeededCount ?? 0) > 0 && completed?.state !== "CONDITION_FAILED") return { kind: "succeeded", message: "", template };
        return { kind: "failed", message: completed?.message ?? "", template };
      }
      if (Date.now() > deadline) {
        await this.executions.cancelExecution({ name: execution }).catch(() => undefined);
        return { kind: "timed_out", message: "the bot stopped waiting for the execution", template };
      }
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 5000));
    }
  }

  /**
   * Brings the run's collected files back into `outputDir`, a fresh folder the caller owns (never
   * the checkout, where a PR's links could point anywhere): each written new, never through a
   * link, within the size limits. Returns a note per file refused.
   */
  private async download(prefix: string, request: RunRequest): Promise<string[]> {
    if (!request.outputDir) return [];
    const base = `${prefix}/files/`;
    const notes: string[] = [];
    let total = 0;
    for (const key of await this.options.artifacts.list(base)) {
      const rel = key.slice(base.length);
      const data = await this.options.artifacts.get(key);
      if (!data) continue;
      if (data.length > FILE_OUTPUT_LIMITS.perFileBytes || total + data.length > FILE_OUTPUT_LIMITS.totalBytes) {
        notes.push(`\`${rel}\` is ${data.length} bytes, over the limit (${FILE_OUTPUT_LIMITS.perFileBytes} per file, ${FILE_OUTPUT_LIMITS.totalBytes} in all)`);
        continue;
      }
      const refused = await writeInside(request.outputDir, rel, data);
      if (refused) notes.push(`\`${rel}\` ${refused}`);
      else total += data.length;
    }
    return notes;
  }
}

/** A run that never started (or cannot be followed): its log is ended, with nothing in it. */
async function failedToStart(request: RunRequest, started: number, error: string): Promise<RunResult> {
  await new Promise<void>((resolve) => request.log.end(resolve));
  return { outcome: "failed", exitCode: null, durationMs: Date.now() - started, logTail: [error], logBytes: 0, logTruncated: false, error };
}

/** Why an execution that left no usable completion record ended, in words. */
function endedWithoutRecord(execution: string, state: { kind: string; message: string }, recordError: string | undefined): { text: string; timedOut: boolean } {
  const timedOut = state.kind === "timed_out" || /timeout|deadline/i.test(state.message);
  if (timedOut) return { timedOut, text: `The Cloud Run execution ${execution} ran out of time before the pipeline finished.` };
  const ended = `The Cloud Run execution ${execution} ended (${state.message || state.kind})`;
  if (recordError) return { timedOut, text: `${ended}, but its ${recordError}, so how the pipeline ended is unknown.` };
  return { timedOut, text: `${ended} without a completion record: the task failed before the pipeline could report (see its logs in Cloud Logging).` };
}

function summary(record: CompletionRecord | undefined, durationMs: number): Omit<RunResult, "outcome"> {
  return {
    exitCode: record?.exitCode ?? null,
    durationMs,
    logTail: (record?.logTail ?? []).map((line) => knownSecretValues.redact(line)),
    logBytes: record?.logBytes ?? 0,
    logTruncated: record?.logTruncated ?? false,
    error: record?.error === undefined ? undefined : knownSecretValues.redact(record.error),
  };
}

/**
 * A gzipped tarball of a checkout, without its `.git`, made by node-tar in memory: links are
 * stored as links (never followed), owners and times are left out (`portable`).
 */
export async function tarDirectory(dir: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = tar.create({ cwd: dir, gzip: true, portable: true, filter: (entry) => !/^(\.\/)?\.git(\/|$)/.test(entry) }, ["."]);
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
