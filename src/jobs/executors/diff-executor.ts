import type { ArtifactStore } from "../../ports/artifact-store.js";
import type { CheckConclusion } from "../../ports/code-host.js";
import type { SourceProvider } from "../../ports/source-provider.js";
import { buildDataCheck } from "../../core/dvc/build-data-check.js";
import { createBaseRemoteStores } from "../../core/dvc/create-base-remote-stores.js";
import type { DiffJob } from "../../core/jobs/job.js";
import type { ParseLimits } from "../../core/limits/parse-limits.js";
import type { ParseFile } from "../../core/limits/parse-repository-file.js";
import type { Result } from "../../core/result.js";
import { renderDataCheck } from "../../report/data/render-data-check.js";
import { DATA_CHECK, type DiffResult } from "../../core/jobs/diff-job.js";
import { jobExecutor, type JobExecutor, type JobOutcome, type JobReportContext, type JobRunContext } from "../job-executor.js";
import { abortedOutcome } from "../abort-reasons.js";

export interface DiffExecutorDeps {
  readonly sources: Pick<SourceProvider, "readCommits">;
  /** A DVC remote URL -> its store, or why it cannot be read (see `createDvcRemoteStore`). */
  readonly createRemoteStore: (url: string) => Result<ArtifactStore, string>;
  /** Parses the versions' files off the bot's thread (the parse workers). */
  readonly parse: ParseFile;
  readonly limits: ParseLimits;
}

/**
 * `diff` jobs: fetch base and head into the cached clone, read the DVC metadata, params and
 * metrics of both (one tree listing and one batch read per commit, no checkout), read the `.dir`
 * manifests of changed folders from the base's default remote, and finish `mlops-bot/data`.
 */
export function createDiffExecutor(deps: DiffExecutorDeps): JobExecutor {
  const stores = createBaseRemoteStores({ createStore: deps.createRemoteStore });
  return jobExecutor("diff", {
    checkName: DATA_CHECK,
    run: (job, ctx) => runDiffJob(deps, stores, job, ctx),
    report: (job, ctx) => reportDiffJob(job, ctx),
  });
}

async function runDiffJob(deps: DiffExecutorDeps, stores: ReturnType<typeof createBaseRemoteStores>, job: DiffJob, ctx: JobRunContext): Promise<JobOutcome> {
  if (!job.baseSha) return { state: "failed", reason: "The job has no base commit to compare with." };
  const { input } = job;
  const [base, head] = await deps.sources.readCommits({
    repo: { owner: job.repo.owner, name: job.repo.name, cloneUrl: ctx.host.cloneUrl() },
    shas: [job.baseSha, job.headSha],
    token: () => ctx.host.gitToken(),
  });
  if (ctx.signal.aborted) return abortedOutcome(ctx.signal);
  const check = await buildDataCheck({ base: base!, head: head!, stores, parse: deps.parse, limits: deps.limits });
  if (ctx.signal.aborted) return abortedOutcome(ctx.signal);
  const report = renderDataCheck({
    check,
    base: { ref: job.baseRef, sha: job.baseSha },
    head: { ref: job.headRef, sha: job.headSha },
    trigger: input.trigger,
  });
  const result: DiffResult = {
    ...report,
    counts: {
      roots: check.roots.length,
      datasets: check.data.datasets.length,
      changes: check.data.changes.length,
      params: check.params.length,
      metrics: check.metrics.length,
      notInCache: check.data.notInCache.length,
      problems: check.data.problems.length + check.problems.length,
    },
  };
  ctx.log.info({ conclusion: report.conclusion, ...result.counts }, "data check done");
  return { state: "succeeded", result };
}

async function reportDiffJob(job: DiffJob, ctx: JobReportContext): Promise<void> {
  const { host, store } = ctx;
  const result = job.state === "succeeded" ? job.result : null;
  let checkRunId = job.checkRunId;
  if (checkRunId === null) {
    checkRunId = (await host.createCheckRun({ name: DATA_CHECK, headSha: job.headSha, externalId: job.id, status: "in_progress", output: { title: "Reporting", summary: "" } })).id;
    await store.update(job.id, { checkRunId });
  }
  const again = job.pr === null ? "" : "\n\nComment `/diff` on the pull request to run it again.";
  const { conclusion, title, summary }: { conclusion: CheckConclusion; title: string; summary: string } = result
    ? result
    : job.state === "cancelled"
      ? { conclusion: "cancelled", title: "Superseded", summary: job.reason ?? "Cancelled." }
      : { conclusion: "failure", title: "The data check could not run", summary: `${job.reason ?? "The job ended without a result."}${again}` };
  await host.updateCheckRun(checkRunId, { conclusion, output: { title, summary } });
  if (job.commentId !== null && conclusion !== "cancelled") await host.react(job.commentId, conclusion === "failure" ? "confused" : "rocket");
}
