import { describe, expect, it } from "vitest";
import { createServeMetrics } from "../../src/serve/create-serve-metrics.js";
import { metricValue } from "./metric-value.js";

describe("createServeMetrics", () => {
  it("writes counters, histograms and the model in the Prometheus text format", async () => {
    const metrics = createServeMetrics();
    metrics.request("/predict", 200, 0.0007);
    metrics.request("/predict", 200, 0.003);
    metrics.request("/predict", 400, 0.0001);
    metrics.request("other", 404, 0.0001);
    metrics.error("wrong_feature_count");
    metrics.error('odd"code\\');
    metrics.instances(1);
    metrics.instances(100);
    metrics.run(101, 2);
    metrics.modelLoaded({ name: "gb", sha256: "ab".repeat(32), opsets: { "ai.onnx": 17 } }, 0.05);
    metrics.inFlight(1);

    const page = await metrics.render();
    expect(page).toContain("# TYPE inference_requests_total counter\n");
    expect(page).toContain("# TYPE inference_request_duration_seconds histogram\n");
    expect(metricValue(page, "inference_requests_total", { route: "/predict", status: "200" })).toBe(2);
    expect(metricValue(page, "inference_requests_total", { route: "other", status: "404" })).toBe(1);
    expect(metricValue(page, "inference_errors_total", { code: 'odd"code\\' })).toBe(1);
    expect(metricValue(page, "inference_request_duration_seconds_count", { route: "/predict" })).toBe(3);
    expect(metricValue(page, "inference_request_duration_seconds_bucket", { route: "/predict", le: "0.001" })).toBe(2);
    expect(metricValue(page, "inference_request_duration_seconds_bucket", { route: "/predict", le: "0.0005" })).toBe(1);
    expect(metricValue(page, "inference_request_instances_sum")).toBe(101);
    expect(metricValue(page, "inference_batch_rows_bucket", { le: "128" })).toBe(1);
    expect(metricValue(page, "inference_batch_requests_sum")).toBe(2);
    expect(metricValue(page, "inference_model_loaded")).toBe(1);
    expect(metricValue(page, "inference_model_load_seconds")).toBe(0.05);
    expect(metricValue(page, "inference_model_info", { name: "gb", opset: "17", sha256: "ab".repeat(32) })).toBe(1);
    expect(metricValue(page, "inference_in_flight_requests")).toBe(1);
    expect(metricValue(page, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("says the model is not loaded before it is", async () => {
    const page = await createServeMetrics().render();
    expect(metricValue(page, "inference_model_loaded")).toBe(0);
    expect(metricValue(page, "inference_model_info")).toBeUndefined();
  });
});
