import type { Job } from "../core/jobs/job.js";
import type { JobStore } from "../ports/job-store.js";
import type { BotMetrics } from "./bot-metrics.js";

/**
 * A `JobStore` that counts what happens to jobs: each job reaching a state (queued on enqueue,
 * running on claim, then each later move), the time it waited in the queue, and the time it
 * ran. Every other member is the wrapped store's own, so the port can grow without this file.
 */
export function meterJobStore(store: JobStore, metrics: BotMetrics): JobStore {
  const counted: Pick<JobStore, "enqueue" | "claimNext" | "transition"> = {
    enqueue: async (job) => {
      const out = await store.enqueue(job);
      if (out.created) metrics.job(out.job.kind, "queued");
      return out;
    },
    claimNext: async (params) => {
      const job = await store.claimNext(params);
      if (job) {
        metrics.job(job.kind, "running");
        metrics.queueWait(job.kind, ((job.startedAt ?? Date.now()) - job.createdAt) / 1000);
      }
      return job;
    },
    transition: async (id, from, to, patch) => {
      const job = await store.transition(id, from, to, patch);
      if (job) moved(job, metrics);
      return job;
    },
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (typeof property === "string" && property in counted) return counted[property as keyof typeof counted];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function moved(job: Job, metrics: BotMetrics): void {
  metrics.job(job.kind, job.state);
  if (job.state === "running" || job.state === "queued" || job.startedAt === null) return;
  metrics.runTime(job.kind, job.state, ((job.finishedAt ?? Date.now()) - job.startedAt) / 1000);
}
