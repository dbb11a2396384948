import type { NewJob, StoredJob } from "../core/jobs/job.js";
import type { CheckRunOutput, CodeHost, PullRequest } from "../ports/code-host.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";
import { cancelGroup } from "./cancel-group.js";

/** Where a job is queued from: the repository's host (for the check run), the store, the log, and the worker's wake-up. */
export interface JobIntake {
  readonly host: CodeHost;
  readonly store: JobStore;
  readonly log: Logger;
  readonly wake: () => void;
}

/**
 * Queues a job (idempotent on its key: a redelivery returns the existing job, `created: false`),
 * supersedes the older jobs of its group, shows its check run as queued, and wakes the worker.
 * If the check run cannot be created the job still runs: its report creates the check run.
 */
export async function queueJob(
  intake: JobIntake,
  params: {
    job: NewJob;
    check: { readonly name: string; readonly output: CheckRunOutput };
    /** Why an older job of the same group stops, as its check run will say. */
    supersededBecause: string;
  },
): Promise<{ job: StoredJob; created: boolean }> {
  const { host, store, log } = intake;
  const { job, created } = await store.enqueue(params.job);
  if (!created) {
    log.info({ job: job.id, key: job.key }, "job already queued for this key (redelivery): nothing to do");
    return { job, created };
  }
  if (job.group) await cancelGroup({ store, group: job.group, keep: job.id, reason: params.supersededBecause });
  try {
    const check = await host.createCheckRun({ name: params.check.name, headSha: job.headSha, externalId: job.id, status: "queued", output: params.check.output });
    await store.update(job.id, { checkRunId: check.id });
  } catch (e) {
    log.warn({ err: e, job: job.id }, `could not create the queued ${params.check.name} check run`);
  }
  intake.wake();
  return { job, created };
}

/** The fields a job on a pull request takes from it: its number, head and base. */
export function pullRequestJobFields(pr: Pick<PullRequest, "number" | "headSha" | "headRef" | "baseRef" | "baseSha">): Pick<NewJob, "pr" | "headSha" | "headRef" | "baseRef" | "baseSha"> {
  return { pr: pr.number, headSha: pr.headSha, headRef: pr.headRef, baseRef: pr.baseRef, baseSha: pr.baseSha };
}
