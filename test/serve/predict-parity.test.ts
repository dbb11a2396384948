import { describe, expect, it } from "vitest";
import { metricValue } from "./metric-value.js";
import { sendSimultaneously } from "./send-simultaneously.js";
import { parity, predict, startTestServer } from "./serve-fixture.js";

type Prediction = { label: number; probabilities: Record<string, number> };

/** Each prediction matches scikit-learn's predict_proba within the parity tolerance, and its label. */
function expectParity(predictions: Prediction[], rows: number[]): void {
  expect(predictions).toHaveLength(rows.length);
  predictions.forEach((p, k) => {
    const i = rows[k]!;
    expect(p.label, `label of test row ${i}`).toBe(parity.labels[i]);
    expect(Object.keys(p.probabilities)).toEqual(parity.classes.map(String));
    parity.classes.forEach((c, col) => {
      const diff = Math.abs(p.probabilities[String(c)]! - parity.probabilities[i]![col]!);
      expect(diff, `row ${i}, class ${c}`).toBeLessThanOrEqual(parity.tolerance);
    });
  });
}

describe("POST /predict against scikit-learn", () => {
  it("matches predict_proba within 1e-5 and predict exactly on the whole test split, in one request", async () => {
    expect(parity.instances).toHaveLength(500);
    expect(parity.tolerance).toBe(1e-5);
    const server = await startTestServer();
    const res = await predict(server, { instances: parity.instances });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expectParity(res.json.predictions, parity.instances.map((_, i) => i));
  });

  it("answers objects keyed by feature name the same as lists", async () => {
    const server = await startTestServer();
    const rows = [0, 1, 2, 3, 4];
    const instances = rows.map((i) => Object.fromEntries(parity.feature_names.map((name, j) => [name, parity.instances[i]![j]])));
    const res = await predict(server, { instances });
    expect(res.status).toBe(200);
    expectParity(res.json.predictions, rows);
  });

  it("gives each of 500 concurrent single-row requests its own answer", async () => {
    const server = await startTestServer();
    const answers = await Promise.all(parity.instances.map((row) => predict(server, { instances: [row] })));
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      expectParity(a.json.predictions, [i]);
    });
  });

  it("batches 200 simultaneous requests into shared runs, and each still gets its own rows back", async () => {
    const server = await startTestServer();
    const rows = Array.from({ length: 200 }, (_, k) => (k * 7) % 500);
    const answers = await sendSimultaneously(server, rows.map((i) => JSON.stringify({ instances: [parity.instances[i]] })));
    answers.forEach((a, k) => {
      expect(a.status).toBe(200);
      expectParity((JSON.parse(a.body) as { predictions: Prediction[] }).predictions, [rows[k]!]);
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    // Every request went through exactly one run, and runs were shared (the merge path was taken).
    expect(metricValue(metrics, "inference_batch_requests_sum")).toBe(200);
    expect(metricValue(metrics, "inference_batch_rows_sum")).toBe(200);
    expect(metricValue(metrics, "inference_batch_requests_count")).toBeLessThan(200);
  });

  it("keeps rows in order when requests of different sizes share runs, within --max-batch rows a run", async () => {
    const server = await startTestServer({ config: { maxBatch: 64 } });
    const requests: number[][] = [];
    for (let start = 0, size = 1; start < 500; start += size, size = (size % 13) + 1) {
      requests.push(Array.from({ length: Math.min(size, 500 - start) }, (_, k) => start + k));
    }
    const answers = await sendSimultaneously(server, requests.map((rows) => JSON.stringify({ instances: rows.map((i) => parity.instances[i]) })));
    answers.forEach((a, k) => {
      expect(a.status).toBe(200);
      expectParity((JSON.parse(a.body) as { predictions: Prediction[] }).predictions, requests[k]!);
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metricValue(metrics, "inference_batch_rows_sum")).toBe(500);
    expect(metricValue(metrics, "inference_batch_rows_bucket", { le: "64" })).toBe(metricValue(metrics, "inference_batch_rows_count"));
    expect(metricValue(metrics, "inference_batch_requests_count")).toBeLessThan(requests.length);
  });
});
