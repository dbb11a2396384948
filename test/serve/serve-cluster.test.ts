import http from "node:http";
import { describe, expect, it } from "vitest";
import { metricValue } from "./metric-value.js";
import { predictOne, run } from "./serve-child.js";
import { MODEL_PATH, parity } from "./serve-fixture.js";

/** The server as `npm run serve` starts it, with two worker processes. */
async function startCluster(env: Record<string, string> = {}) {
  const p = run(["--import", "tsx", "src/serve/main.ts"], { MODEL_PATH, SERVE_PORT: "0", SERVE_WORKERS: "2", ...env });
  const { url } = (await p.logLine("listening; loading the model")) as { url: string };
  await p.logLine("model loaded in every worker; ready");
  const pids = p.logLines("worker started").map((l) => l.pid as number);
  return { ...p, url, port: Number(new URL(url).port), pids };
}

/** POST /predict on a connection of its own (no keep-alive), so that the primary hands each to the next worker. */
function predictOnNewConnection(port: number, row: number[]): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ instances: [row] });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/predict", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d)).on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the server on every core (SERVE_WORKERS=2, node:cluster)", () => {
  it("spreads connections over the workers, answers each right, and adds their metrics up at /metrics", async () => {
    const p = await startCluster({ LOG_LEVEL: "debug" });
    expect(p.pids).toHaveLength(2);
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await predictOnNewConnection(p.port, parity.instances[i]!));
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      expect((JSON.parse(a.body) as { predictions: { label: number }[] }).predictions[0]!.label).toBe(parity.labels[i]);
    });
    expect((await fetch(`${p.url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"instances": [[1, "NaN"]]}' })).status).toBe(400);

    // Each worker answered some (its debug lines carry its id); /metrics, whichever worker serves it, counts all.
    const byWorker = new Map<unknown, number>();
    for (const line of p.logLines("request").filter((l) => l.path === "/predict" && l.status === 200)) byWorker.set(line.worker, (byWorker.get(line.worker) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual([1, 2]);
    expect([...byWorker.values()].reduce((a, b) => a + b)).toBe(20);
    for (let k = 0; k < 2; k++) {
      const page = await (await fetch(`${p.url}/metrics`)).text();
      expect(metricValue(page, "inference_requests_total", { route: "/predict", status: "200" })).toBe(20);
      expect(metricValue(page, "inference_errors_total", { code: "wrong_feature_count" })).toBe(1);
      expect(metricValue(page, "inference_request_instances_sum")).toBe(20);
      expect(metricValue(page, "inference_workers")).toBe(2);
      expect(metricValue(page, "inference_model_loaded")).toBe(1);
      expect(metricValue(page, "process_resident_memory_bytes")).toBeGreaterThan(0);
    }
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it("drains every worker on SIGTERM: an in-flight request is still answered, then all processes exit 0", async () => {
    const p = await startCluster();
    const body = JSON.stringify({ instances: [parity.instances[3]] });
    const req = http.request({ host: "127.0.0.1", port: p.port, method: "POST", path: "/predict", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
    const response = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d)).on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }));
      });
      req.on("error", reject);
    });
    req.write(body.slice(0, 10));
    // A worker has the request once the cluster counts it in flight (besides the scrape itself).
    await expect.poll(async () => metricValue(await (await fetch(`${p.url}/metrics`)).text(), "inference_in_flight_requests"), { timeout: 30_000 }).toBe(2);

    p.child.kill("SIGTERM");
    await p.logLine("shutting down: no new connections, finishing in-flight requests", 2); // both workers draining
    req.end(body.slice(10));
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.connection).toBe("close");
    expect(JSON.parse(res.body).predictions[0].label).toBe(parity.labels[3]);
    expect(await p.exited).toBe(0);
    expect(p.pids.filter(alive)).toEqual([]);
  });

  it("replaces a worker that dies, and keeps serving", async () => {
    const p = await startCluster();
    process.kill(p.pids[0]!, "SIGKILL");
    expect(await p.logLine("a worker died; starting another")).toMatchObject({ level: 50, signal: "SIGKILL" });
    const replacement = (await p.logLine("worker started", 3)).worker;
    // The new worker is told to go as soon as it has loaded the model: the others are ready.
    await expect.poll(() => p.logLines("model loaded; ready").some((l) => l.worker === replacement), { timeout: 20_000 }).toBe(true);
    for (let i = 0; i < 6; i++) expect((await predictOnNewConnection(p.port, parity.instances[1]!)).status).toBe(200);
    const page = await (await fetch(`${p.url}/metrics`)).text();
    expect(metricValue(page, "inference_worker_restarts_total")).toBe(1);
    expect(metricValue(page, "inference_workers")).toBe(2);
    expect((await predictOne(p.url)).status).toBe(200);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });
});
