import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel, ModelLoadError } from "../../src/serve/load-model.js";
import { tempDir } from "../helpers/temp-dir.js";
import { metricValue } from "./metric-value.js";
import { MODEL_PATH, parity, predict, startTestServer } from "./serve-fixture.js";

const modelSha256 = createHash("sha256").update(readFileSync(MODEL_PATH)).digest("hex");
const row = parity.instances[0]!;

async function getJson(url: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url);
  return { status: res.status, json: await res.json() };
}

describe("startServer", () => {
  it("is up at once, and ready only once the model is loaded", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await startTestServer({
      waitReady: false,
      load: async (params) => {
        await gate;
        return loadModel(params);
      },
    });

    expect(await getJson(`${server.url}/health`)).toEqual({ status: 200, json: { status: "ok" } });
    expect(await getJson(`${server.url}/ready`)).toEqual({ status: 503, json: { status: "loading" } });
    expect(await predict(server, { instances: [row] })).toMatchObject({ status: 503, json: { error: { code: "not_ready", message: "the model is still loading; retry when GET /ready answers 200" } } });
    expect((await getJson(`${server.url}/metadata`)).status).toBe(503);
    expect(metricValue(await (await fetch(`${server.url}/metrics`)).text(), "inference_model_loaded")).toBe(0);

    release();
    await server.ready;
    expect(await getJson(`${server.url}/ready`)).toEqual({ status: 200, json: { status: "ready", model: "gradient_boosting", sha256: modelSha256 } });
    expect((await predict(server, { instances: [row] })).status).toBe(200);
  });

  it("describes the model at /metadata", async () => {
    const server = await startTestServer({ config: { maxBatch: 256 } });
    const { status, json } = await getJson(`${server.url}/metadata`);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      model: { name: "gradient_boosting", version: `sha256:${modelSha256.slice(0, 12)}`, sha256: modelSha256, file: "model.onnx", bytes: readFileSync(MODEL_PATH).length },
      input: { name: "float_input", type: "float32", shape: [null, 10] },
      outputs: [
        { name: "label", type: "int64", shape: [null] },
        { name: "probabilities", type: "float32", shape: [null, 2] },
      ],
      feature_names: parity.feature_names,
      classes: parity.classes,
      opset: { "ai.onnx": 17, "ai.onnx.ml": 1 },
      producer: expect.stringMatching(/^skl2onnx /),
      limits: { max_batch: 256, max_body_bytes: 1 << 20 },
      runtime: { "onnxruntime-node": "1.30.0", node: process.version },
    });
    expect(json.model.load_seconds).toBeGreaterThan(0);
    expect(Date.parse(json.model.loaded_at)).not.toBeNaN();
  });

  it("exposes Prometheus metrics that count what happened", async () => {
    const server = await startTestServer();
    for (let k = 0; k < 3; k++) expect((await predict(server, { instances: [row, row] })).status).toBe(200);
    expect((await predict(server, { instances: [[1, 2]] })).status).toBe(400);
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);

    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const metrics = await res.text();
    expect(metricValue(metrics, "inference_requests_total", { route: "/predict", status: "200" })).toBe(3);
    expect(metricValue(metrics, "inference_requests_total", { route: "/predict", status: "400" })).toBe(1);
    expect(metricValue(metrics, "inference_requests_total", { route: "other", status: "404" })).toBe(1);
    expect(metricValue(metrics, "inference_errors_total", { code: "wrong_feature_count" })).toBe(1);
    expect(metricValue(metrics, "inference_errors_total", { code: "not_found" })).toBe(1);
    expect(metricValue(metrics, "inference_request_duration_seconds_count", { route: "/predict" })).toBe(4);
    expect(metricValue(metrics, "inference_request_instances_sum")).toBe(6);
    expect(metricValue(metrics, "inference_batch_rows_sum")).toBe(6);
    expect(metricValue(metrics, "inference_model_load_seconds")).toBeGreaterThan(0);
    expect(metricValue(metrics, "inference_model_info", { sha256: modelSha256, name: "gradient_boosting", opset: "17" })).toBe(1);
    // The scrape itself is in flight while the page is written.
    expect(metricValue(metrics, "inference_in_flight_requests")).toBe(1);
  });

  it("lets go of a request whose client leaves in mid-body", async () => {
    const server = await startTestServer();
    const req = http.request({ host: "127.0.0.1", port: server.port, method: "POST", path: "/predict", agent: false, headers: { "content-type": "application/json", "content-length": 1000 } });
    req.on("error", () => undefined);
    const arrived = new Promise((resolve) => server.server.once("request", resolve));
    req.write('{"instances": [[1, 2');
    await arrived;
    req.destroy();
    const metrics = async () => (await fetch(`${server.url}/metrics`)).text();
    await expect.poll(async () => metricValue(await metrics(), "inference_requests_total", { route: "/predict", status: "400" })).toBe(1);
    expect(metricValue(await metrics(), "inference_errors_total", { code: "bad_request" })).toBe(1);
    expect(metricValue(await metrics(), "inference_in_flight_requests")).toBe(1); // the scrape itself
  });

  it("answers HEAD on GET routes without a body", async () => {
    const server = await startTestServer();
    const res = await fetch(`${server.url}/health`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("reports a model that cannot be loaded at /ready and refuses predictions with 503", async () => {
    const missing = path.join(tempDir(), "nope.onnx");
    const server = await startTestServer({ waitReady: false, config: { modelPath: missing } });
    await expect(server.ready).rejects.toThrow(ModelLoadError);
    await expect(server.ready).rejects.toThrow(`cannot serve ${missing}: no such file (set MODEL_PATH or --model; \`cd ml && dvc repro\` makes ml/models/model.onnx)`);
    const ready = await getJson(`${server.url}/ready`);
    expect(ready).toMatchObject({ status: 503, json: { status: "failed", reason: expect.stringContaining("no such file") } });
    expect(await predict(server, { instances: [row] })).toMatchObject({ status: 503, json: { error: { code: "model_failed" } } });
  });

  it("refuses a file that is not an ONNX model, saying so", async () => {
    const file = path.join(tempDir(), "model.onnx");
    writeFileSync(file, "this is a pickle, honest");
    await expect(loadModel({ modelPath: file, intraOpThreads: 1 })).rejects.toThrow(/^cannot serve .*model\.onnx: not an ONNX model/);
  });

  it("fails to start on a port in use, naming it", async () => {
    const first = await startTestServer();
    await expect(startTestServer({ config: { port: first.port } })).rejects.toThrow(`cannot listen on 127.0.0.1:${first.port}: the port is in use (set SERVE_PORT or --port)`);
  });
});

describe("graceful shutdown", () => {
  /** Starts a POST /predict whose body is only half sent; `finish` sends the rest. */
  async function halfSentRequest(server: { port: number; server: http.Server }) {
    const body = JSON.stringify({ instances: [row] });
    const arrived = new Promise<void>((resolve) => server.server.once("request", () => resolve()));
    const req = http.request({ host: "127.0.0.1", port: server.port, method: "POST", path: "/predict", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
    const response = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d)).on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }));
      });
      req.on("error", reject);
    });
    req.write(body.slice(0, 10));
    await arrived;
    return { response, finish: () => req.end(body.slice(10)) };
  }

  it("stops accepting, finishes the in-flight request, then closes", async () => {
    const server = await startTestServer();
    const inFlight = await halfSentRequest(server);

    let closed = false;
    const closing = server.close("test").then(() => (closed = true));
    expect(server.state.phase).toBe("draining");
    await expect(fetch(`${server.url}/health`)).rejects.toThrow(); // no new connections
    expect(closed).toBe(false);

    inFlight.finish();
    const res = await inFlight.response;
    expect(res.status).toBe(200);
    expect(res.connection).toBe("close");
    expect(JSON.parse(res.body).predictions[0].label).toBe(parity.labels[0]);
    await closing;
    expect(closed).toBe(true);
  });

  it("cuts what is still in flight at the deadline", async () => {
    const server = await startTestServer({ config: { shutdownTimeoutMs: 50 } });
    const inFlight = await halfSentRequest(server);
    const outcome = inFlight.response.then(
      () => "answered",
      (e: NodeJS.ErrnoException) => e.code,
    );
    await server.close("test");
    expect(await outcome).toBe("ECONNRESET");
  });
});
