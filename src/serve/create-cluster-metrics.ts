import type { Worker } from "node:cluster";
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { PrimaryMessage } from "./cluster-messages.js";
import type { MetricsSnapshot } from "./create-serve-metrics.js";

const SNAPSHOT_TIMEOUT_MS = 3000;

export interface ClusterMetrics {
  /** Worker processes serving now. */
  readonly live: Gauge;
  /** Workers that died and were replaced. */
  readonly restarts: Counter;
  /** The /metrics page: the primary's own metrics and every worker's, added up (prom-client's aggregation). */
  page(): Promise<string>;
  /** A worker's answer to the primary's request for its snapshot. */
  received(id: number, snapshot: MetricsSnapshot): void;
}

/**
 * The cluster primary's side of /metrics: it asks every connected worker for a snapshot of
 * its registry, waits for all (a worker that does not answer within 3 s is left out of that
 * page, not the page), and aggregates them with its own process metrics, as each metric's
 * `aggregator` says (counters and histograms add up).
 */
export function createClusterMetrics(params: { workers: () => Worker[] }): ClusterMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const live = new Gauge({ name: "inference_workers", help: "Worker processes serving (cluster mode).", registers: [registry] });
  const restarts = new Counter({ name: "inference_worker_restarts_total", help: "Workers that died and were replaced.", registers: [registry] });
  const pending = new Map<number, { want: number; got: MetricsSnapshot[]; done: () => void }>();
  let nextId = 0;

  return {
    live,
    restarts,
    async page() {
      const id = nextId++;
      const asked = params.workers().filter((w) => w.isConnected());
      const entry: { want: number; got: MetricsSnapshot[]; done: () => void } = { want: asked.length, got: [], done: () => undefined };
      const all = new Promise<void>((resolve) => {
        entry.done = resolve;
        setTimeout(resolve, SNAPSHOT_TIMEOUT_MS).unref();
      });
      pending.set(id, entry);
      const request: PrimaryMessage = { type: "serve:metrics-snapshot", id };
      for (const w of asked) w.send(request);
      if (asked.length === 0) entry.done();
      await all;
      pending.delete(id);
      const own = (await registry.getMetricsAsJSON()) as MetricsSnapshot;
      return AggregatorRegistry.aggregate([own, ...entry.got]).metrics();
    },
    received(id, snapshot) {
      const entry = pending.get(id);
      if (!entry) return;
      entry.got.push(snapshot);
      if (entry.got.length >= entry.want) entry.done();
    },
  };
}
