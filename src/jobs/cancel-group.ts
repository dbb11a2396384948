import type { StoredJob } from "../core/jobs/job.js";
import type { JobStore } from "../ports/job-store.js";

/**
 * Stops every queued or running job of a group except `keep`: queued ones end now as
 * cancelled; running ones get a cancel request that their worker acts on (it may run in another
 * process). With `keep`, only jobs older than it are stopped: two commands handled at once (by
 * two bot instances) must not supersede each other, so the newer one wins. Returns how many of each.
 */
export async function cancelGroup(params: {
  store: JobStore;
  group: string;
  reason: string;
  keep?: string | undefined;
}): Promise<{ queued: number; running: number }> {
  const { store, group, reason, keep } = params;
  let queued = 0;
  let running = 0;
  const jobs = await store.list({ group, state: ["queued", "running"] }); // oldest first
  let older = (_job: StoredJob, _index: number) => true;
  if (keep !== undefined) {
    const at = jobs.findIndex((j) => j.id === keep);
    const kept = at >= 0 ? undefined : await store.get(keep);
    older = at >= 0 ? (_job, index) => index < at : (job) => kept !== undefined && job.createdAt < kept.createdAt;
  }
  for (const [index, job] of jobs.entries()) {
    if (job.id === keep || !older(job, index)) continue;
    if (job.state === "queued" && (await store.transition(job.id, "queued", "cancelled", { reason }))) {
      queued++;
      continue;
    }
    // Running (or claimed since we listed it): ask its worker to stop it.
    const current = await store.get(job.id);
    if (current?.state === "running" && !current.cancelRequested) {
      await store.update(job.id, { cancelRequested: true, reason });
      running++;
    }
  }
  return { queued, running };
}
