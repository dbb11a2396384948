import { isReadable, type JobKind, type StoredJob, type UnreadableJob } from "../core/jobs/job.js";
import { jobKindSpecs } from "../core/jobs/job-kinds.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { CodeHost } from "../ports/code-host.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";
import type { JobRepo } from "../core/jobs/job.js";
import { isTransientFailure } from "../core/is-transient-failure.js";
import type { CheckConclusion } from "../ports/code-host.js";
import { renderUnreadableJob } from "../report/jobs/render-unreadable-job.js";
import { errorLogFields, renderError } from "../report/render-error.js";
import type { JobExecutor } from "./job-executor.js";

export interface ReportDeps {
  readonly store: JobStore;
  readonly artifacts: ArtifactStore;
  readonly executors: ReadonlyMap<JobKind, JobExecutor>;
  readonly hostFor: (repo: JobRepo) => Promise<CodeHost>;
  readonly log: Logger;
  /** This worker's id and report lease (see `JobStore.claimReport`). */
  readonly worker: string;
  readonly leaseMs: number;
}

/**
 * Makes GitHub show a job's end, once (one instance reports each end), then marks it reported.
 * A readable job is reported by its kind's executor; a damaged one here, with what is wrong. If
 * GitHub cannot be reached the job stays unreported, and the next tick tries again. A report that
 * cannot be made for any other reason (a bug, GitHub refusing it) is never retried forever: the
 * check run says the report failed, and the job counts as reported.
 */
export async function reportJobEnd(deps: ReportDeps, job: StoredJob): Promise<void> {
  const { store, artifacts } = deps;
  const log = deps.log.child({ job: job.id, kind: job.kind });
  const executor = job.kind === null ? undefined : deps.executors.get(job.kind);
  if (isReadable(job) && !executor) return; // another process of the bot runs this kind
  try {
    // Another instance may be reporting this end right now: one report per end.
    if (store.claimReport && !(await store.claimReport({ id: job.id, worker: deps.worker, leaseMs: deps.leaseMs }))) return;
    if (!isReadable(job)) await reportUnreadable(deps, job, log);
    else if (executor) await executor.report(job, { host: await deps.hostFor(job.repo), store, artifacts, log });
    await markReported(deps, job, log);
  } catch (e) {
    if (isTransientFailure(e)) {
      log.warn({ err: e }, "could not report the job's end on GitHub; will retry");
      return;
    }
    log.error(errorLogFields(e), "the job's report could not be made: saying so on its check run instead");
    try {
      await reportUnmade(deps, job, e);
      await markReported(deps, job, log);
    } catch (again) {
      log.warn({ err: again }, "could not say on GitHub that the report failed; will retry");
    }
  }
}

/** Marks the end reported, fenced by this worker's report lease where the store leases reports. */
async function markReported(deps: ReportDeps, job: StoredJob, log: Logger): Promise<void> {
  if (!deps.store.markReported) {
    await deps.store.update(job.id, { reported: true });
    return;
  }
  if ((await deps.store.markReported({ id: job.id, worker: deps.worker })) === "lost-claim") {
    log.warn("lost the report's lease to another worker (this one was too slow): leaving the end to its report");
  }
}

const CONCLUSION: Record<string, CheckConclusion> = { succeeded: "neutral", failed: "failure", cancelled: "cancelled", timed_out: "timed_out" };

/** An end whose report failed for good: its check run completes and says so, with the job's state. */
async function reportUnmade(deps: ReportDeps, job: StoredJob, error: unknown): Promise<void> {
  if (job.kind === null) return; // nothing to trust to find its check run
  const host = await deps.hostFor(job.repo);
  const output = {
    title: `Ended (${job.state.replace("_", " ")}); its report could not be made`,
    summary: renderError(error, { subject: "The report of this job", retry: "Run the job again for a full report." }),
  };
  let checkRunId = job.checkRunId;
  if (checkRunId === null) {
    checkRunId = (await host.createCheckRun({ name: jobKindSpecs[job.kind].checkName, headSha: job.headSha, externalId: job.id, status: "in_progress", output })).id;
    await deps.store.update(job.id, { checkRunId });
  }
  await host.updateCheckRun(checkRunId, { conclusion: CONCLUSION[job.state] ?? "failure", output });
}

/** A damaged job's end: its check run says what is wrong (when the envelope can be trusted to find it). */
async function reportUnreadable(deps: ReportDeps, job: UnreadableJob, log: Logger): Promise<void> {
  log.error({ problem: job.problem, damage: job.damage }, "the job's stored record is damaged");
  if (job.damage === "record" || job.kind === null) return; // its repository and check run are not to be trusted
  const host = await deps.hostFor(job.repo);
  const output = renderUnreadableJob(job);
  let checkRunId = job.checkRunId;
  if (checkRunId === null) {
    checkRunId = (await host.createCheckRun({ name: jobKindSpecs[job.kind].checkName, headSha: job.headSha, externalId: job.id, status: "in_progress", output })).id;
    await deps.store.update(job.id, { checkRunId });
  }
  await host.updateCheckRun(checkRunId, { conclusion: "failure", output });
  if (job.commentId !== null) await host.react(job.commentId, "confused");
}
