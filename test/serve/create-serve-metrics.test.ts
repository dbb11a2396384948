import { describe, expect, it } from "vitest";
import { createServeMetrics } from "../../src/serve/create-serve-metrics.js";
import { parsePrometheusText, sampleValue } from "./parse-prometheus-text.js";

describe("createServeMetrics", () => {
  it("renders valid Prometheus text with counters, histograms and the model", () => {
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

    const families = parsePrometheusText(metrics.render());
    expect(families.get("inference_requests_total")?.type).toBe("counter");
    expect(sampleValue(families, "inference_requests_total", { route: "/predict", status: "200" })).toBe(2);
    expect(sampleValue(families, "inference_requests_total", { route: "other", status: "404" })).toBe(1);
    expect(sampleValue(families, "inference_errors_total", { code: 'odd"code\\' })).toBe(1);
    expect(sampleValue(families, "inference_request_duration_seconds_count", { route: "/predict" })).toBe(3);
    expect(sampleValue(families, "inference_request_duration_seconds_bucket", { route: "/predict", le: "0.001" })).toBe(2);
    expect(sampleValue(families, "inference_request_duration_seconds_bucket", { route: "/predict", le: "0.0005" })).toBe(1);
    expect(sampleValue(families, "inference_request_instances_sum")).toBe(101);
    expect(sampleValue(families, "inference_batch_rows_bucket", { le: "128" })).toBe(1);
    expect(sampleValue(families, "inference_batch_requests_sum")).toBe(2);
    expect(sampleValue(families, "inference_model_loaded")).toBe(1);
    expect(sampleValue(families, "inference_model_load_seconds")).toBe(0.05);
    expect(sampleValue(families, "inference_model_info", { name: "gb", opset: "17" })).toBe(1);
    expect(sampleValue(families, "inference_in_flight_requests")).toBe(1);
    expect(sampleValue(families, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("says the model is not loaded before it is", () => {
    const families = parsePrometheusText(createServeMetrics().render());
    expect(sampleValue(families, "inference_model_loaded")).toBe(0);
    expect(families.has("inference_model_info")).toBe(false);
  });
});

describe("parsePrometheusText", () => {
  it("rejects what a scraper would reject", () => {
    expect(() => parsePrometheusText("x 1\n")).toThrow(/before its # TYPE/);
    expect(() => parsePrometheusText('# TYPE x counter\nx{a="b} 1\n')).toThrow(/bad label list|not a sample/);
    expect(() => parsePrometheusText('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n')).toThrow(/not cumulative/);
    expect(() => parsePrometheusText("# TYPE x counter\nx 1")).toThrow(/newline/);
  });
});
