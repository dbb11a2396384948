import type { ServerConfig } from "../../config/server-config.js";
import { BotError } from "../../core/errors.js";
import type { Job } from "../../core/jobs/job.js";
import type { ParseFile } from "../../core/limits/parse-repository-file.js";
import { parseTrainingFiles } from "../../core/train/parse-training-files.js";
import { LogTail } from "../../core/pipeline/log-tail.js";
import { renderTrainReport, TRAIN_MARKER } from "../../report/render-train-report.js";
import type { SourceProvider } from "../../ports/source-provider.js";
import { buildJobEnv } from "../build-job-env.js";
import type { JobExecutor, JobOutcome, JobReportContext, JobRunContext } from "../job-executor.js";
import type { RunnerRegistry } from "../runner-registry.js";
import { runTraining, type TrainingResult } from "../run-training.js";
import { TRAIN_CHECK, type TrainInput } from "../train-input.js";
import { abortedOutcome } from "../worker.js";

export interface TrainExecutorDeps {
  readonly sources: SourceProvider;
  readonly runners: RunnerRegistry;
  readonly server: Pick<ServerConfig, "jobPath" | "jobEnvAllowed">;
  readonly botEnv: NodeJS.ProcessEnv;
  /** Parses what a run wrote (params, metrics) off the bot's thread. */
  readonly parse: ParseFile;
}

/** `/train` jobs: check out the head, run the pipeline, report the metric diff on GitHub. */
/** Where a train job keeps its remote run's handle (a Cloud Run execution), for a restart to follow. */
export function runnerHandleKey(jobId: string): string {
  return `runner-handle:${jobId}`;
}

export function createTrainExecutor(deps: TrainExecutorDeps): JobExecutor {
  return {
    kind: "train",
    checkName: TRAIN_CHECK,
    run: (job, ctx) => runTrainJob(deps, job, ctx),
    canResume: async (job, store) => (await store.getFact(runnerHandleKey(job.id))) !== undefined,
    report: (job, ctx) => reportTrainJob(deps, job, ctx),
  };
}

async function runTrainJob(deps: TrainExecutorDeps, job: Job, ctx: JobRunContext): Promise<JobOutcome> {
  const input = job.input as unknown as TrainInput;
  const { pipeline } = input.config;
  const command = pipeline.train.join(" ");
  let runner;
  try {
    runner = deps.runners.get(input.config.runner);
  } catch (e) {
    if (e instanceof BotError) return { state: "failed", reason: e.userMessage() };
    throw e;
  }

  const started = `Training \`${job.headSha.slice(0, 7)}\`${job.pr ? ` for #${job.pr}` : ""}, requested by @${job.requestedBy}.`;
  ctx.progress({ title: "Preparing the source", summary: `${started}\n\nChecking out the commit.` });
  const source = await deps.sources.checkout({
    repo: { owner: job.repo.owner, name: job.repo.name },
    sha: job.headSha,
    alsoFetch: job.baseSha ? [job.baseSha] : [],
    token: () => ctx.host.gitToken(),
  });
  let result: TrainingResult;
  try {
    const { env, refused } = buildJobEnv({
      botEnv: deps.botEnv,
      jobPath: deps.server.jobPath,
      allowed: deps.server.jobEnvAllowed,
      requested: pipeline.env,
    });
    if (refused.length) ctx.log.warn({ refused }, "pipeline.env asks for variables the operator does not allow: not passed");
    const tail = new LogTail(20);
    // A remote run (Cloud Run) that a previous bot process started is followed, not started again.
    const handleKey = runnerHandleKey(job.id);
    const resume = await ctx.store.getFact(handleKey);
    result = await runTraining({
      resume,
      onHandle: (handle) => ctx.store.setFact(handleKey, handle),
      source,
      base: { ref: job.baseRef, sha: job.baseSha },
      pipeline,
      // A job queued before `sandbox` existed has none: the default, network on.
      network: input.config.sandbox?.network ?? true,
      overrides: input.overrides,
      runner,
      image: pipeline.image ?? (input.config.registry && input.config.images.training ? `${input.config.registry}/training:${job.headSha}` : undefined),
      env,
      artifacts: ctx.artifacts,
      prefix: `jobs/${job.id}`,
      signal: ctx.signal,
      onOutput: (text) => {
        tail.push(text);
        ctx.progress({
          title: `Running \`${command}\``,
          summary: `${started}\n\nRunning \`${command}\` in \`${pipeline.workdir}/\` on the ${runner.name} runner.`,
          text: ["Last lines of the log:", "", "```", ...tail.snapshot(), "```"].join("\n"),
        });
      },
      previousBaseRun: async () => {
        if (!job.baseRef) return undefined;
        const runs = await ctx.store.list({ kind: "train", state: "succeeded", repo: { owner: job.repo.owner, name: job.repo.name }, headRef: job.baseRef });
        const last = runs.at(-1)?.result as TrainingResult | undefined;
        return last && Object.keys(last.head.metrics).length ? { metrics: last.head.metrics, params: last.head.params, sha: last.headSha } : undefined;
      },
    });
  } finally {
    await source.release();
  }

  switch (result.outcome) {
    case "succeeded":
      return { state: "succeeded", result };
    case "timed_out":
      return { state: "timed_out", reason: `The pipeline ran longer than \`pipeline.timeout\` (${pipeline.timeout} s) and was stopped.`, result };
    case "cancelled":
      return { ...abortedOutcome(ctx.signal), result };
    default:
      return { state: "failed", reason: `The pipeline failed${result.failingStage ? ` in stage \`${result.failingStage}\`` : ""}.`, result };
  }
}

async function reportTrainJob(deps: TrainExecutorDeps, job: Job, ctx: JobReportContext): Promise<void> {
  const { host, store } = ctx;
  const input = job.input as unknown as TrainInput;
  let checkRunId = job.checkRunId;
  if (checkRunId === null) {
    checkRunId = (await host.createCheckRun({ name: TRAIN_CHECK, headSha: job.headSha, externalId: job.id, status: "in_progress", output: { title: "Reporting", summary: "" } })).id;
    await store.update(job.id, { checkRunId });
  }
  const checkUrl = `https://github.com/${job.repo.owner}/${job.repo.name}/runs/${checkRunId}`;
  const result = (job.result as TrainingResult | null) ?? null;
  const parsed = result ? await parseTrainingFiles(result, deps.parse) : undefined;
  const report = renderTrainReport({ job, result, parsed, config: input.config, checkUrl });
  await host.updateCheckRun(checkRunId, {
    conclusion: report.conclusion,
    output: { title: report.title, summary: report.summary, text: report.text },
    actions: [{ label: "Train again", description: "Run /train again on this commit", identifier: "train-again" }],
  });
  if (job.pr !== null) {
    const factKey = `sticky:${job.repo.owner}/${job.repo.name}#${job.pr}:train`;
    const knownId = await store.getFact(factKey);
    const id = await host.upsertStickyComment({ issueNumber: job.pr, marker: TRAIN_MARKER, body: report.comment, knownId: knownId ? Number(knownId) : undefined });
    if (String(id) !== knownId) await store.setFact(factKey, String(id));
  }
  if (job.commentId !== null && report.conclusion !== "cancelled") {
    await host.react(job.commentId, report.conclusion === "success" ? "rocket" : "confused");
  }
}
