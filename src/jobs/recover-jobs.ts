import { isReadable, type JobKind, type StoredJob } from "../core/jobs/job.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";
import { isWorkerAlive } from "./is-worker-alive.js";
import type { JobExecutor } from "./job-executor.js";

const RESTART_REASON =
  "The bot stopped while this job was running, so its result is unknown. Nothing was kept from the interrupted run; run it again (Train again, /diff or /build) to get a result.";
const LEASE_EXPIRED_REASON =
  "The bot instance running this job stopped renewing its claim (it was stopped or lost the job store), so the result is unknown. Nothing was kept from the interrupted run; run it again (Train again, /diff or /build) to get a result.";

interface RecoverDeps {
  readonly store: JobStore;
  readonly executors: ReadonlyMap<JobKind, JobExecutor>;
  readonly log: Logger;
  /** This worker's id. */
  readonly worker: string;
}

/** Whether a job whose worker is gone runs elsewhere and can be followed again (a Cloud Run execution). */
async function canResume(deps: RecoverDeps, job: StoredJob): Promise<boolean> {
  if (!isReadable(job)) return false;
  const executor = deps.executors.get(job.kind);
  return executor?.canResume !== undefined && (await executor.canResume(job, deps.store));
}

/**
 * On start, ends truthfully the jobs a dead process of this host left running (a shared store's
 * worker ids may repeat across hosts, so there only leases decide). A job whose work runs
 * elsewhere is left to `recoverExpired`, which follows it once its lease lapses.
 */
export async function recoverStopped(deps: RecoverDeps): Promise<void> {
  const { store, log } = deps;
  if (store.shared) return;
  for (const job of await store.list({ state: "running" })) {
    if (isWorkerAlive(job.worker, deps.worker)) continue;
    if (job.leaseExpiresAt && (await canResume(deps, job))) {
      log.warn({ job: job.id, kind: job.kind }, "job's worker stopped, its run goes on remotely: will follow it once its lease lapses");
      continue;
    }
    const ended = await store.transition(job.id, "running", "failed", { reason: RESTART_REASON });
    if (ended) log.warn({ job: job.id, kind: job.kind, worker: job.worker }, "job was left running by a stopped process: failed it");
  }
}

/**
 * Takes over the jobs whose lease lapsed (their worker died or lost the store): returns those
 * to follow from here (their work runs elsewhere); the others are failed with the reason, then
 * reported like any other end.
 */
export async function recoverExpired(deps: RecoverDeps & { readonly leaseMs: number; readonly runningHere: (id: string) => boolean }): Promise<StoredJob[]> {
  const { store, log } = deps;
  const resume: StoredJob[] = [];
  for (const job of (await store.claimExpired?.({ worker: deps.worker, leaseMs: deps.leaseMs })) ?? []) {
    if (deps.runningHere(job.id)) continue; // our own, after renewals failed: it is leased to us again
    if (await canResume(deps, job)) {
      log.warn({ job: job.id, kind: job.kind }, "job's lease expired (its worker stopped renewing it): following its run from here");
      resume.push(job);
      continue;
    }
    // Fenced by the claim just taken: if yet another worker took the job since, its end is that worker's.
    const ended = job.claim
      ? (await store.finish({ id: job.id, claim: job.claim, to: "failed", reason: LEASE_EXPIRED_REASON })).status === "written"
      : Boolean(await store.transition(job.id, "running", "failed", { reason: LEASE_EXPIRED_REASON }));
    if (ended) log.warn({ job: job.id, kind: job.kind }, "job's lease expired (its worker stopped renewing it): failed it");
  }
  return resume;
}
