import type { JobStore } from "../ports/job-store.js";

/**
 * Stops every queued or running job of a group except `keep`: queued ones end now as
 * cancelled; running ones get a cancel request that their worker acts on (it may run in another
 * process). Returns how many of each.
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
  for (const job of await store.list({ group, state: ["queued", "running"] })) {
    if (job.id === keep) continue;
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
