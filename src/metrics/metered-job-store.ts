import { isKind, isReadable, type StoredJob } from "../core/jobs/job.js";
import type { JobStore } from "../ports/job-store.js";
import type { BotMetrics } from "./bot-metrics.js";

/**
 * A `JobStore` that counts what happens to jobs: each job reaching a state (queued on enqueue,
 * running on claim, then each later move), the time it waited in the queue, and the time it
 * ran; for a training run, its wall time and estimated cost by runner. Every other member is the wrapped store's own, so the port can grow without this file.
 */
export function meterJobStore(store: JobStore, metrics: BotMetrics): JobStore {
  const counted: Pick<JobStore, "enqueue" | "claimNext" | "transition" | "finish"> = {
    enqueue: async (job) => {
      const out = await store.enqueue(job);
      if (out.created) metrics.job(kindLabel(out.job), "queued");
      return out;
    },
    claimNext: async (params) => {
      const job = await store.claimNext(params);
      if (job) {
        metrics.job(kindLabel(job), "running");
        metrics.queueWait(kindLabel(job), ((job.startedAt ?? Date.now()) - job.createdAt) / 1000);
      }
      return job;
    },
    transition: async (id, from, to, patch) => {
      const job = await store.transition(id, from, to, patch);
      if (job) moved(job, metrics);
      return job;
    },
    finish: async (params) => {
      const ended = await store.finish(params);
      if (ended.status === "written") moved(ended.job, metrics);
      return ended;
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

function moved(job: StoredJob, metrics: BotMetrics): void {
  metrics.job(kindLabel(job), job.state);
  if (job.state === "running" || job.state === "queued" || job.startedAt === null) return;
  metrics.runTime(kindLabel(job), job.state, ((job.finishedAt ?? Date.now()) - job.startedAt) / 1000);
  const result = isReadable(job) && isKind(job, "train") ? job.result : null;
  if (result?.resources) metrics.trainingRun({ runner: result.resources.runner, seconds: result.resources.wallMs / 1000, cost: result.cost });
}

/** The kind as a metric label; a record whose kind cannot be read counts as `unreadable`. */
function kindLabel(job: StoredJob): string {
  return job.kind ?? "unreadable";
}
