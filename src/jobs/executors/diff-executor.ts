import type { ArtifactStore } from "../../ports/artifact-store.js";
import type { CheckConclusion } from "../../ports/code-host.js";
import type { SourceProvider } from "../../ports/source-provider.js";
import { buildDataCheck } from "../../core/dvc/build-data-check.js";
import { createBaseRemoteStores } from "../../core/dvc/create-base-remote-stores.js";
import type { Job } from "../../core/jobs/job.js";
import type { ParseLimits } from "../../core/limits/parse-limits.js";
import type { ParseFile } from "../../core/limits/parse-repository-file.js";
import type { Result } from "../../core/result.js";
import { renderDataCheck } from "../../report/render-data-check.js";
import { DATA_CHECK, type DiffInput } from "../diff-input.js";
import type { JobExecutor, JobOutcome, JobReportContext, JobRunContext } from "../job-executor.js";
import { abortedOutcome } from "../worker.js";

export interface DiffExecutorDeps {
  readonly sources: Pick<SourceProvider, "readCommits">;
  /** A DVC remote URL -> its store, or why it cannot be read (see `createDvcRemoteStore`). */
  readonly createRemoteStore: (url: string) => Result<ArtifactStore, string>;
  /** Parses the versions' files off the bot's thread (the parse workers). */
  readonly parse: ParseFile;
  readonly limits: ParseLimits;
}

/** What a finished data check keeps: the rendered check run (small), and counts for logs and tests. */
export interface DiffResult {
  readonly conclusion: CheckConclusion;
  readonly title: string;
  readonly summary: string;
  readonly counts: { readonly roots: number; readonly datasets: number; readonly changes: number; readonly params: number; readonly metrics: number; readonly notInCache: number; readonly problems: number };
}

/**
 * `diff` jobs: fetch base and head into the cached clone, read the DVC metadata, params and
 * metrics of both (one tree listing and one batch read per commit, no checkout), read the `.dir`
 * manifests of changed folders from the base's default remote, and finish `mlops-bot/data`.
 */
export function createDiffExecutor(deps: DiffExecutorDeps): JobExecutor {
  const stores = createBaseRemoteStores({ createStore: deps.createRemoteStore });
  return {
    kind: "diff",
    checkName: DATA_CHECK,
    run: (job, ctx) => runDiffJob(deps, stores, job, ctx),
    report: (job, ctx) => reportDiffJob(job, ctx),
  };
}

async function runDiffJob(deps: DiffExecutorDeps, stores: ReturnType<typeof createBaseRemoteStores>, job: Job, ctx: JobRunContext): Promise<JobOutcome> {
  if (!job.baseSha) return { state: "failed", reason: "The job has no base commit to compare with." };
  const input = job.input as unknown as DiffInput;
  const [base, head] = await deps.sources.readCommits({
    repo: { owner: job.repo.owner, name: job.repo.name },
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

async function reportDiffJob(job: Job, ctx: JobReportContext): Promise<void> {
  const { host, store } = ctx;
  const result = job.state === "succeeded" ? (job.result as DiffResult | null) : null;
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
