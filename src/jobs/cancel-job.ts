import type { StoredJob } from "../core/jobs/job.js";
import type { JobStore } from "../ports/job-store.js";

export type CancelJobOutcome =
  | { readonly outcome: "cancelled" | "cancel-requested"; readonly job: StoredJob }
  | { readonly outcome: "already-ended"; readonly job: StoredJob }
  | { readonly outcome: "missing" };

/**
 * Stops one job, as `/cancel` does for a pull request: a queued job ends now as cancelled (the
 * worker then reports it on GitHub); a running one gets a cancel request that its worker, in
 * whichever process runs it, turns into an abort. Guarded like every state move: a job that
 * moved meanwhile is looked at again.
 */
export async function cancelJob(params: { store: JobStore; id: string; reason: string }): Promise<CancelJobOutcome> {
  const { store, id, reason } = params;
  for (let attempt = 0; attempt < 5; attempt++) {
    const job = await store.get(id);
    if (!job) return { outcome: "missing" };
    if (job.state === "queued") {
      const cancelled = await store.transition(id, "queued", "cancelled", { reason });
      if (cancelled) return { outcome: "cancelled", job: cancelled };
      continue; // claimed meanwhile: now it is running
    }
    if (job.state === "running") {
      if (job.cancelRequested) return { outcome: "cancel-requested", job };
      return { outcome: "cancel-requested", job: await store.update(id, { cancelRequested: true, reason }) };
    }
    return { outcome: "already-ended", job };
  }
  throw new Error(`job ${id} kept changing state while it was being cancelled`);
}
