import { randomUUID } from "node:crypto";
import { ExecutionsClient, JobsClient } from "@google-cloud/run";
import * as tar from "tar";
import { FILE_OUTPUT_LIMITS } from "../../core/output-limits.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import { writeInside } from "../files/write-inside.js";
import { knownSecretValues } from "../secrets/secret-values.js";
import type { JobRunner, RunRequest, RunResult } from "../../ports/job-runner.js";
import { parseCompletionRecord, parseRunnerHandle, type CompletionRecord } from "./cloud-run-records.js";
import { cloudRunResources, type TaskTemplateSizes } from "./cloud-run-resources.js";

export interface CloudRunRunnerOptions {
  /** `projects/<p>/locations/<l>/jobs/<job>`: the training Cloud Run Job. */
  readonly job: string;
  /** Where runs exchange files (source tarball, log, results, completion record). */
  readonly artifacts: ArtifactStore;
  /** The same store as the job sees it, e.g. `gs://bucket/prefix` (passed to `mlops-bot job`). */
  readonly artifactsUrl: string;
  readonly pollMs?: number;
  /** Client options (tests pass an auth client and the REST fallback); default: ADC over REST. */
  readonly clientOptions?: Record<string, unknown>;
}

/**
 * Trains as a Cloud Run Job execution: the checkout goes up as a tarball, `runJob` starts an
 * execution with per-run overrides (its args tell `mlops-bot job` where the run's files are),
 * the bot polls the execution, then reads the completion record, the log and the results back
 * (into the request's `outputDir`). Cancel cancels the execution; a bot restart follows it again by its name.
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
    const { artifacts } = this.options;
    let execution: string;
    let prefix: string;
    const handle = request.resume === undefined ? undefined : parseRunnerHandle(request.resume);
    if (handle && !handle.ok) {
      request.log.end();
      const error = `The Cloud Run run this job started earlier cannot be followed: ${handle.error}.`;
      return { outcome: "failed", exitCode: null, durationMs: Date.now() - started, logTail: [error], logBytes: 0, logTruncated: false, error };
    }
    try {
      if (handle) {
        ({ execution, prefix } = handle.value);
      } else {
        prefix = `runs/${new Date().toISOString().slice(0, 10)}/${randomUUID()}`;
        await artifacts.put(`${prefix}/source.tar.gz`, await tarDirectory(request.source.root));
        const args = ["mlops-bot", "job", "--run", `${this.options.artifactsUrl.replace(/\/+$/, "")}/${prefix}`, "--workdir", request.source.workdir, "--timeout", String(Math.ceil(request.timeoutMs / 1000))];
        for (const p of request.collect ?? []) args.push("--collect", p);
        // The job's variables come as overrides; the agent passes the pipeline these names and nothing else of its environment.
        const env = Object.entries(request.env).filter(([k]) => k !== "PATH" && k !== "HOME");
        for (const [name] of env) args.push("--env", name);
        args.push("--", ...request.argv);
        const [operation] = await this.jobs.runJob({
          name: this.options.job,
          overrides: {
            containerOverrides: [{ args, env: env.map(([name, value]) => ({ name, value })) }],
            taskCount: 1,
            // The pipeline's own timeout is enforced inside; this is the backstop.
            timeout: { seconds: Math.ceil(request.timeoutMs / 1000) + 300 },
          },
        });
        execution = (operation.metadata as { name?: string } | null)?.name ?? "";
        if (!execution) throw new Error("runJob returned no execution name");
        await request.onHandle?.(JSON.stringify({ execution, prefix }));
      }
    } catch (e) {
      request.log.end();
      const error = `Could not start the Cloud Run job ${this.options.job}: ${(e as Error).message}`;
      return { outcome: "failed", exitCode: null, durationMs: Date.now() - started, logTail: [error], logBytes: 0, logTruncated: false, error };
    }

    const state = await this.follow(execution, request);
    const stored = await artifacts.get(`${prefix}/completion.json`);
    const parsed = stored && parseCompletionRecord(stored.toString("utf8"));
    const record = parsed?.ok ? parsed.value : undefined;
    const log = await artifacts.get(`${prefix}/log.txt`);
    if (log) request.log.write(knownSecretValues.redactBytes(log));
    const notes = await this.download(prefix, request);
    if (notes.length) request.log.write(`\n[mlops-bot: outputs not brought back]\n${notes.map((n) => `- ${n}`).join("\n")}\n`);
    request.log.end();

    const durationMs = record?.durationMs ?? Date.now() - started;
    const outputRoot = request.outputDir;
    // What the task was given, for the run's cost: from the execution Cloud Run ran, not from our config.
    const resources = cloudRunResources(state.template);
    if (state.kind === "cancelled") return { ...summary(record, durationMs), outcome: "cancelled", outputRoot, resources };
    if (record) return { ...summary(record, durationMs), outcome: record.outcome, outputRoot, resources };
    const timedOut = state.kind === "timed_out" || /timeout|deadline/i.test(state.message);
    const error = timedOut
      ? `The Cloud Run execution ${execution} ran out of time before the pipeline finished.`
      : parsed && !parsed.ok
        ? `The Cloud Run execution ${execution} ended (${state.message || state.kind}), but its ${parsed.error}, so how the pipeline ended is unknown.`
        : `The Cloud Run execution ${execution} ended (${state.message || state.kind}) without a completion record: the task failed before the pipeline could report (see its logs in Cloud Logging).`;
    return { outcome: timedOut ? "timed_out" : "failed", exitCode: null, durationMs, logTail: [error], logBytes: log?.length ?? 0, logTruncated: false, error, resources };
  }

  /** Polls the execution until it completes; cancels it when the request is aborted. */
  private async follow(
    execution: string,
    request: RunRequest,
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
