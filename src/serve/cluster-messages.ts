import type { MetricsSnapshot } from "./create-serve-metrics.js";

/** What a worker tells the cluster primary (node:cluster IPC). */
export type WorkerMessage =
  /** The model is loaded; the worker waits for `go` before it says it is ready. */
  | { readonly type: "serve:loaded"; readonly model: { readonly name: string; readonly sha256: string; readonly features: number; readonly loadSeconds: number } }
  /** The worker cannot serve (the port cannot be bound, the model cannot be loaded) and exits. */
  | { readonly type: "serve:failed"; readonly reason: string }
  /** A client asked this worker for /metrics: the primary answers with the page of all workers. */
  | { readonly type: "serve:metrics-page"; readonly id: number }
  /** This worker's metrics, asked for by the primary. */
  | { readonly type: "serve:metrics-snapshot"; readonly id: number; readonly snapshot: MetricsSnapshot };

/** What the cluster primary tells a worker. */
export type PrimaryMessage =
  /** Every worker has loaded the model: say ready. */
  | { readonly type: "serve:go" }
  /** Shut down gracefully (SIGTERM or SIGINT reached the primary). */
  | { readonly type: "serve:drain"; readonly reason: string }
  /** A second signal: close every connection now. */
  | { readonly type: "serve:cut" }
  | { readonly type: "serve:metrics-page"; readonly id: number; readonly page?: string; readonly error?: string }
  | { readonly type: "serve:metrics-snapshot"; readonly id: number };

/** Messages are ours only when they carry a `serve:` type (prom-client and node send their own on the same channel). */
export function isServeMessage<T extends { type: string }>(value: unknown): value is T {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string" && (value as { type: string }).type.startsWith("serve:");
}
