import type { ServerConfig } from "../../config/server-config.js";
import { estimateRunCost } from "../../core/costs/estimate-run-cost.js";
import { BotError } from "../../core/errors.js";
import { isKind, isReadable, type TrainJob } from "../../core/jobs/job.js";
import { runnerHandleKey, TRAIN_CHECK, TRAIN_MARKER, trainGroup, trainStickyKey } from "../../core/jobs/train-job.js";
import { compareTraining } from "../../core/train/compare-training.js";
import type { TrainingResult } from "../../core/train/training-result.js";
import type { ParseFile } from "../../core/limits/parse-repository-file.js";
import { parseTrainingFiles } from "../../core/train/parse-training-files.js";
import { LogTail } from "../../core/pipeline/log-tail.js";
import { renderTrainCheck, renderTrainComment } from "../../report/train/render-train-report.js";
import { renderError } from "../../report/render-error.js";
import type { PreparedSource, SourceProvider } from "../../ports/source-provider.js";
import type { JobRunner } from "../../ports/job-runner.js";
import { buildJobEnv } from "../build-job-env.js";
import { jobExecutor, type JobExecutor, type JobOutcome, type JobReportContext, type JobRunContext } from "../job-executor.js";
import type { RunnerRegistry } from "../runner-registry.js";
import { runTraining } from "../run-training.js";
import { endTrackedRun, startTrackedRun, type Tracking } from "../track-run.js";
import { abortedOutcome } from "../abort-reasons.js";
import type { CacheLayerRef, SharedDvcCache } from "../../adapters/cache/shared-dvc-cache.js";
import { listBaseBranchRuns } from "../list-base-branch-runs.js";

export interface TrainExecutorDeps {
  readonly sources: SourceProvider;
  /** The shared DVC cache of jobs on this host (local and Docker runners); none: each job starts empty. */
  readonly cache?: Pick<SharedDvcCache, "acquire"> | undefined;
  readonly runners: RunnerRegistry;
  readonly server: Pick<ServerConfig, "jobPath" | "jobEnvAllowed" | "costs">;
  readonly botEnv: NodeJS.ProcessEnv;
  /** Parses what a run wrote (params, metrics) off the bot's thread. */
  readonly parse: ParseFile;
  /** The MLflow tracking server jobs log to, when configured. */
  readonly tracking?: Tracking | undefined;
  /** The signed URL of a job's page, linked from the report, when the job pages are on. */
  readonly jobPageUrl?: ((jobId: string) => string) | undefined;
}

/** `/train` jobs: check out the head, run the pipeline, report the metric diff on GitHub. */
export function createTrainExecutor(deps: TrainExecutorDeps): JobExecutor {
  return jobExecutor("train", {
    checkName: TRAIN_CHECK,
    run: (job, ctx) => runTrainJob(deps, job, ctx),
    // A remote run (Cloud Run) that a previous bot process started is followed, not started again.
    canResume: async (job, store) => (await store.getFact(runnerHandleKey(job.id))) !== undefined,
    report: (job, ctx) => reportTrainJob(deps, job, ctx),
  });
}

async function runTrainJob(deps: TrainExecutorDeps, job: TrainJob, ctx: JobRunContext): Promise<JobOutcome> {
  const { input } = job;
  let runner: JobRunner;
  try {
    runner = deps.runners.get(input.config.runner);
  } catch (e) {
    if (e instanceof BotError) return { state: "failed", reason: renderError(e) };
    throw e;
  }

  const started = `Training \`${job.headSha.slice(0, 7)}\`${job.pr ? ` for #${job.pr}` : ""}, requested by @${job.requestedBy}.`;
  ctx.progress({ title: "Preparing the source", summary: `${started}\n\nChecking out the commit.` });
  const source = await deps.sources.checkout({
    repo: { owner: job.repo.owner, name: job.repo.name, cloneUrl: ctx.host.cloneUrl() },
    sha: job.headSha,
    alsoFetch: job.baseSha ? [job.baseSha] : [],
    token: () => ctx.host.gitToken(),
  });
  const layer = cacheLayerOf(job, input);
  let result: TrainingResult;
  let lease: CacheLease | undefined;
  try {
    if (deps.cache && layer && runner.mountsHostFolders) lease = await deps.cache.acquire(job.repo, layer);
    result = await trainInCheckout(deps, job, ctx, { runner, source, lease, layer, started });
  } finally {
    await source.release();
    await lease?.release();
  }
  return outcomeOf(result, input.config.pipeline.timeout, ctx.signal);
}

type CacheLease = Awaited<ReturnType<NonNullable<TrainExecutorDeps["cache"]>["acquire"]>>;

/** Runs the pipeline in the job's checkout with its environment and MLflow run; the result carries its cost and run. */
async function trainInCheckout(
  deps: TrainExecutorDeps,
  job: TrainJob,
  ctx: JobRunContext,
  p: { runner: JobRunner; source: PreparedSource; lease: CacheLease | undefined; layer: CacheLayerRef | undefined; started: string },
): Promise<TrainingResult> {
  const { input } = job;
  const { pipeline } = input.config;
  const { runner } = p;
  const command = pipeline.train.join(" ");
  const { env, refused } = buildJobEnv({ botEnv: deps.botEnv, jobPath: deps.server.jobPath, allowed: deps.server.jobEnvAllowed, requested: pipeline.env });
  if (refused.length) ctx.log.warn({ refused }, "pipeline.env asks for variables the operator does not allow: not passed");
  const tracked = deps.tracking ? await startTrackedRun(deps.tracking, job, ctx.store) : undefined;
  if (tracked?.problem) ctx.log.warn(tracked.problem);
  const tail = new LogTail(20);
  const handleKey = runnerHandleKey(job.id);
  let result = await runTraining({
    resume: await ctx.store.getFact(handleKey),
    onHandle: (handle) => ctx.store.setFact(handleKey, handle),
    source: p.source,
    base: { ref: job.baseRef, sha: job.baseSha },
    pipeline,
    // A job queued before `sandbox` existed reads back with the default (network on).
    network: input.config.sandbox.network,
    overrides: input.overrides,
    runner,
    dvcCache: p.lease,
    remoteCache: p.layer ? { repo: job.repo, layer: p.layer } : undefined,
    image: pipeline.image ?? (input.config.registry && input.config.images.training ? `${input.config.registry}/training:${job.headSha}` : undefined),
    env: { ...env, ...tracked?.env },
    artifacts: ctx.artifacts,
    prefix: `jobs/${job.id}`,
    signal: ctx.signal,
    onOutput: (text) => {
      tail.push(text);
      ctx.progress({
        title: `Running \`${command}\``,
        summary: `${p.started}\n\nRunning \`${command}\` in \`${pipeline.workdir}/\` on the ${runner.name} runner.`,
        text: ["Last lines of the log:", "", "```", ...tail.snapshot(), "```"].join("\n"),
      });
    },
    previousBaseRun: () => lastBaseRun(ctx.store, job),
    parse: deps.parse,
  });
  if (result.resources) result = { ...result, cost: estimateRunCost({ resources: result.resources, prices: deps.server.costs.prices }) };
  if (deps.tracking && tracked?.run) result = { ...result, mlflow: await endTrackedRun({ tracking: deps.tracking, run: tracked.run, job, outcome: result.outcome, store: ctx.store }) };
  else if (tracked?.problem) result = { ...result, outputNotes: [...(result.outputNotes ?? []), tracked.problem] };
  return result;
}

/** How the job ends, from how the pipeline ended. */
function outcomeOf(result: TrainingResult, timeoutSeconds: number, signal: AbortSignal): JobOutcome {
  switch (result.outcome) {
    case "succeeded":
      return { state: "succeeded", result };
    case "timed_out":
      return { state: "timed_out", reason: `The pipeline ran longer than \`pipeline.timeout\` (${timeoutSeconds} s) and was stopped.`, result };
    case "cancelled":
      return { ...abortedOutcome(signal), result };
    default:
      return { state: "failed", reason: `The pipeline failed${result.failingStage ? ` in stage \`${result.failingStage}\`` : ""}.`, result };
  }
}

/** The numbers of the last successful training run on the base repository's base branch (for a base commit without committed metrics). */
async function lastBaseRun(store: JobRunContext["store"], job: TrainJob): Promise<{ metrics: TrainingResult["head"]["metrics"]; params: TrainingResult["head"]["params"]; sha: string } | undefined> {
  const last = (await listBaseBranchRuns(store, job)).at(-1)?.result;
  return last && Object.keys(last.head.metrics).length ? { metrics: last.head.metrics, params: last.head.params, sha: last.headSha } : undefined;
}

/**
 * The cache layer a job writes: its pull request's own; the default branch's only for a run the
 * bot queued for a push to the default branch (trusted code); none for anything else.
 */
function cacheLayerOf(job: TrainJob, input: TrainJob["input"]): CacheLayerRef | undefined {
  if (job.pr !== null) return { kind: "pull-request", number: job.pr };
  return input.onDefaultBranch === true ? { kind: "default" } : undefined;
}

async function reportTrainJob(deps: TrainExecutorDeps, job: TrainJob, ctx: JobReportContext): Promise<void> {
  const { host, store } = ctx;
  const { input, result } = job;
  let checkRunId = job.checkRunId;
  if (checkRunId === null) {
    checkRunId = (await host.createCheckRun({ name: TRAIN_CHECK, headSha: job.headSha, externalId: job.id, status: "in_progress", output: { title: "Reporting", summary: "" } })).id;
    await store.update(job.id, { checkRunId });
  }
  const parsed = result ? await parseTrainingFiles(result, deps.parse) : undefined;
  const comparison = compareTraining({ state: job.state, result, parsed, config: input.config });
  const prCost = result?.cost && job.group ? await groupCost(store, job.group, result.cost.currency) : undefined;
  const reportInput = { job, result, comparison, precision: input.config.report.precision, pageUrl: deps.jobPageUrl?.(job.id), prCost };
  const report = renderTrainCheck(reportInput);
  // The comment links the check run by the address GitHub gives it (GitHub Enterprise Server has its own host).
  const { url: checkUrl } = await host.updateCheckRun(checkRunId, {
    conclusion: comparison.conclusion,
    output: { title: report.title, summary: report.summary, text: report.text },
    actions: [{ label: "Train again", description: "Run /train again on this commit", identifier: "train-again" }],
  });
  if (job.pr !== null) {
    const factKey = trainStickyKey(job.repo, job.pr);
    const known = await stickyCommentHint(store, job, job.pr, factKey);
    const comment = renderTrainComment({ ...reportInput, checkUrl: checkUrl || undefined });
    const id = await host.upsertStickyComment({ issueNumber: job.pr, marker: TRAIN_MARKER, body: comment, ...known });
    if (known.knownId !== id) await store.setFact(factKey, String(id));
  }
  if (job.commentId !== null && comparison.conclusion !== "cancelled") {
    await host.react(job.commentId, comparison.conclusion === "success" ? "rocket" : "confused");
  }
}

/** The estimated cost of a pull request's training runs so far (its group: this run and those it superseded or followed), in one currency. */
async function groupCost(store: JobReportContext["store"], group: string, currency: string): Promise<{ amount: number; currency: string; runs: number }> {
  let amount = 0;
  let runs = 0;
  for (const stored of await store.list({ kind: "train", group })) {
    const cost = isReadable(stored) && isKind(stored, "train") ? stored.result?.cost : undefined;
    if (cost?.currency !== currency) continue;
    amount += cost.amount;
    runs += 1;
  }
  return { amount, currency, runs };
}

/**
 * What the store knows of a pull request's sticky train comment, to spare GitHub calls: its id
 * (edited in one call), or that there is none yet: the first training job of the pull request,
 * with nothing recorded, creates it without listing the comments. The mark `creating` is written
 * before the comment is, so a report retried after a crash searches instead of posting twice.
 */
async function stickyCommentHint(store: JobReportContext["store"], job: TrainJob, pr: number, factKey: string): Promise<{ knownId?: number; knownAbsent?: true }> {
  const fact = await store.getFact(factKey);
  if (fact && /^\d+$/.test(fact)) return { knownId: Number(fact) };
  if (fact !== undefined) return {};
  const others = (await store.list({ group: trainGroup(job.repo, pr) })).filter((j) => j.id !== job.id);
  if (others.length > 0) return {};
  await store.setFact(factKey, "creating");
  return { knownAbsent: true };
}
