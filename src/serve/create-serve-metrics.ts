import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { ModelSpec } from "./describe-model.js";

/** The route label of a request; anything unknown is "other", so clients cannot grow the label set. */
export type RouteLabel = "/predict" | "/health" | "/ready" | "/metadata" | "/metrics" | "other";

/** One process's metrics as prom-client serialises them, for aggregation across cluster workers. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

export interface ServeMetrics {
  /** A request answered: its route, status and time from arrival to the response being written. */
  request(route: RouteLabel, status: number, seconds: number): void;
  /** An error answer (4xx or 5xx), by its code. */
  error(code: string): void;
  /** Instances in one accepted /predict request. */
  instances(count: number): void;
  /** One onnxruntime run: rows, and how many requests were batched into it. */
  run(rows: number, requests: number): void;
  modelLoaded(spec: Pick<ModelSpec, "name" | "sha256" | "opsets">, seconds: number): void;
  inFlight(delta: 1 | -1): void;
  /** This process's metrics in the Prometheus text format (0.0.4). */
  render(): Promise<string>;
  /** This process's metrics as data, for the cluster primary to aggregate. */
  snapshot(): Promise<MetricsSnapshot>;
}

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];

/**
 * The server's metrics, in a prom-client registry of their own (several servers can share a
 * process in tests), with prom-client's default process and Node.js metrics. Each metric says
 * how the cluster primary combines the workers' values (`aggregator`; counters and histograms
 * add up): see `aggregateMetrics`.
 */
export function createServeMetrics(): ServeMetrics {
  const registers = [new Registry()];
  const [registry] = registers as [Registry];
  const requests = new Counter({ name: "inference_requests_total", help: "HTTP requests answered, by route and status code.", labelNames: ["route", "status"] as const, registers });
  const errors = new Counter({ name: "inference_errors_total", help: "Error answers (4xx and 5xx), by error code.", labelNames: ["code"] as const, registers });
  const latency = new Histogram({
    name: "inference_request_duration_seconds",
    help: "Time from a request's arrival to its response being written, by route.",
    labelNames: ["route"] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const instances = new Histogram({ name: "inference_request_instances", help: "Instances per accepted /predict request.", buckets: SIZE_BUCKETS, registers });
  const runRows = new Histogram({ name: "inference_batch_rows", help: "Rows per onnxruntime run (requests arriving together are batched into one run).", buckets: SIZE_BUCKETS, registers });
  const runRequests = new Histogram({ name: "inference_batch_requests", help: "Requests per onnxruntime run.", buckets: SIZE_BUCKETS, registers });
  const inFlight = new Gauge({ name: "inference_in_flight_requests", help: "Requests being answered now.", registers, aggregator: "sum" });
  const loaded = new Gauge({ name: "inference_model_loaded", help: "1 once the model is loaded and the server is ready (in a cluster: in every worker).", registers, aggregator: "min" });
  const loadSeconds = new Gauge({ name: "inference_model_load_seconds", help: "Time to read, check and open the model (in a cluster: the slowest worker).", registers, aggregator: "max" });
  const info = new Gauge({ name: "inference_model_info", help: "The served model: name, sha256 of the file, ONNX opset.", labelNames: ["name", "sha256", "opset"] as const, registers, aggregator: "max" });
  collectDefaultMetrics({ register: registry });
  loaded.set(0);

  return {
    request(route, status, seconds) {
      requests.inc({ route, status });
      latency.observe({ route }, seconds);
    },
    error(code) {
      errors.inc({ code });
    },
    instances(count) {
      instances.observe(count);
    },
    run(rows, requests) {
      runRows.observe(rows);
      runRequests.observe(requests);
    },
    modelLoaded(spec, seconds) {
      loaded.set(1);
      loadSeconds.set(seconds);
      info.set({ name: spec.name, sha256: spec.sha256, opset: String(spec.opsets["ai.onnx"] ?? 0) }, 1);
    },
    inFlight(delta) {
      inFlight.inc(delta);
    },
    render: () => registry.metrics(),
    snapshot: () => registry.getMetricsAsJSON(),
  };
}
