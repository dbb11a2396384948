import type { ModelSpec } from "./describe-model.js";
import { Histogram } from "./histogram.js";

/** The route label of a request; anything unknown is "other", so clients cannot grow the label set. */
export type RouteLabel = "/predict" | "/health" | "/ready" | "/metadata" | "/metrics" | "other";

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
  /** The Prometheus text exposition (format 0.0.4). */
  render(): string;
}

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];

/** The server's metrics, kept in plain counters; `render` writes the exposition text. */
export function createServeMetrics(): ServeMetrics {
  const requests = new Map<string, { route: RouteLabel; status: number; value: number }>();
  const latency = new Map<RouteLabel, Histogram>();
  const errors = new Map<string, number>();
  const instances = new Histogram(SIZE_BUCKETS);
  const runRows = new Histogram(SIZE_BUCKETS);
  const runRequests = new Histogram(SIZE_BUCKETS);
  let model: { name: string; sha256: string; opset: number; seconds: number } | undefined;
  let inFlight = 0;
  const started = performance.timeOrigin / 1000;

  return {
    request(route, status, seconds) {
      const key = `${route} ${status}`;
      const counter = requests.get(key);
      if (counter) counter.value++;
      else requests.set(key, { route, status, value: 1 });
      let histogram = latency.get(route);
      if (!histogram) latency.set(route, (histogram = new Histogram(LATENCY_BUCKETS)));
      histogram.observe(seconds);
    },
    error(code) {
      errors.set(code, (errors.get(code) ?? 0) + 1);
    },
    instances(count) {
      instances.observe(count);
    },
    run(rows, requests) {
      runRows.observe(rows);
      runRequests.observe(requests);
    },
    modelLoaded(spec, seconds) {
      model = { name: spec.name, sha256: spec.sha256, opset: spec.opsets["ai.onnx"] ?? 0, seconds };
    },
    inFlight(delta) {
      inFlight += delta;
    },
    render() {
      const out: string[] = [];
      const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`);

      family("inference_requests_total", "counter", "HTTP requests answered, by route and status code.");
      for (const c of [...requests.values()].sort((a, b) => a.route.localeCompare(b.route) || a.status - b.status)) {
        out.push(`inference_requests_total{route="${c.route}",status="${c.status}"} ${c.value}\n`);
      }
      family("inference_errors_total", "counter", "Error answers (4xx and 5xx), by error code.");
      for (const [code, value] of [...errors].sort(([a], [b]) => a.localeCompare(b))) out.push(`inference_errors_total{code="${escapeLabel(code)}"} ${value}\n`);
      family("inference_request_duration_seconds", "histogram", "Time from a request's arrival to its response being written, by route.");
      for (const [route, histogram] of [...latency].sort(([a], [b]) => a.localeCompare(b))) out.push(histogram.render("inference_request_duration_seconds", `route="${route}",`));
      family("inference_request_instances", "histogram", "Instances per accepted /predict request.");
      out.push(instances.render("inference_request_instances", ""));
      family("inference_batch_rows", "histogram", "Rows per onnxruntime run (requests arriving together are batched into one run).");
      out.push(runRows.render("inference_batch_rows", ""));
      family("inference_batch_requests", "histogram", "Requests per onnxruntime run.");
      out.push(runRequests.render("inference_batch_requests", ""));
      family("inference_in_flight_requests", "gauge", "Requests being answered now.");
      out.push(`inference_in_flight_requests ${inFlight}\n`);
      family("inference_model_loaded", "gauge", "1 once the model is loaded and the server is ready.");
      out.push(`inference_model_loaded ${model ? 1 : 0}\n`);
      if (model) {
        family("inference_model_load_seconds", "gauge", "Time to read, check and open the model.");
        out.push(`inference_model_load_seconds ${model.seconds}\n`);
        family("inference_model_info", "gauge", "The served model: name, sha256 of the file, ONNX opset.");
        out.push(`inference_model_info{name="${escapeLabel(model.name)}",sha256="${model.sha256}",opset="${model.opset}"} 1\n`);
      }
      family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
      out.push(`process_resident_memory_bytes ${process.memoryUsage.rss()}\n`);
      family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.");
      out.push(`process_start_time_seconds ${started}\n`);
      return out.join("");
    },
  };
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
