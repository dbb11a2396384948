/**
 * npm run bench:inference — the inference server (src/serve, onnxruntime-node, compiled as the
 * Docker image runs it) against the usual Python stack (FastAPI + uvicorn + the pickled
 * scikit-learn pipeline, bench/inference/fastapi_server.py), same model, same request and
 * response shapes, both on 127.0.0.1, each in its own process, driven by autocannon from this
 * process with the same connections and duration. Cases: one instance per request, and 100.
 * Prints requests/s, p50 and p99 per server and case, the ratios ours/FastAPI, and each
 * server's resident memory after the load.
 *
 * It makes what it needs: the model (`dvc repro` in ml/ through <repo>/.venv, when
 * ml/models/ lacks model.onnx, model.pkl or parity.json), the baseline's venv
 * (<repo>/.venv-bench, from bench/inference/requirements.txt), and the compiled server
 * (.venv-bench/serve-dist, from docker/inference/tsconfig.json).
 *
 * BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (16) tune the run;
 * FASTAPI_ENDPOINT=async|sync picks the baseline's endpoint style: `async def` by default, the faster
 * of the two here (a `def` endpoint hops to FastAPI's thread pool on every request).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const endpoint = process.env.FASTAPI_ENDPOINT === "sync" ? "sync" : "async";
const venv = path.join(root, ".venv-bench");
const models = path.join(root, "ml/models");

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

/** ml/models/{model.onnx, model.pkl, parity.json}: from the pipeline when any is missing. */
function ensureModel(): void {
  if (["model.onnx", "model.pkl", "parity.json"].every((f) => existsSync(path.join(models, f)))) return;
  console.log("bench: ml/models/ is incomplete; running the pipeline (dvc repro in ml/)");
  if (!existsSync(path.join(root, ".venv/bin/dvc"))) run("bash", ["scripts/setup-python.sh"]);
  run(path.join(root, ".venv/bin/dvc"), ["repro"], { cwd: path.join(root, "ml"), env: { ...process.env, PATH: `${path.join(root, ".venv/bin")}:${process.env.PATH ?? ""}` } });
}

/** <repo>/.venv-bench with the baseline's pinned packages; skipped when the stamp matches. */
function ensureBenchVenv(): void {
  const files = ["bench/inference/requirements.txt", "ml/requirements.txt"].map((f) => readFileSync(path.join(root, f)));
  const want = createHash("sha256").update(Buffer.concat(files)).digest("hex");
  const stamp = path.join(venv, ".requirements.sha256");
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) return;
  console.log("bench: installing FastAPI, uvicorn and scikit-learn into .venv-bench (first run: about a minute)");
  if (!existsSync(path.join(venv, "bin/python"))) run(process.env.PYTHON ?? "python3", ["-m", "venv", venv]);
  run(path.join(venv, "bin/python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "bench/inference/requirements.txt"]);
  writeFileSync(stamp, `${want}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
}

async function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, port: number, readyPath: string): Promise<Server> {
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready`);
    const ok = await fetch(`${url}${readyPath}`).then((r) => r.ok, () => false);
    if (ok) return { name, child, url };
    if (Date.now() > deadline) throw new Error(`${name} was not ready at ${url}${readyPath} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

/** VmRSS and VmHWM (peak) of a process, in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

interface Prediction {
  label: number;
  probabilities: Record<string, number>;
}

/** Both servers must answer the same (within the parity tolerance) before their speed is compared. */
async function checkSameAnswers(servers: Server[], instances: number[][], tolerance: number): Promise<void> {
  const answers = await Promise.all(
    servers.map(async (s) => {
      const res = await fetch(`${s.url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ instances }) });
      if (!res.ok) throw new Error(`${s.name} answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { predictions: Prediction[] }).predictions;
    }),
  );
  const [a, b] = answers as [Prediction[], Prediction[]];
  a.forEach((p, i) => {
    const q = b[i]!;
    const diff = Math.max(...Object.keys(p.probabilities).map((k) => Math.abs(p.probabilities[k]! - q.probabilities[k]!)));
    if (p.label !== q.label || !(diff <= tolerance)) throw new Error(`row ${i}: the servers disagree (${JSON.stringify(p)} vs ${JSON.stringify(q)})`);
  });
}

interface Measured {
  server: string;
  case: string;
  rowsPerRequest: number;
  requests: number;
  non2xx: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

/** One autocannon run; latency percentiles from every response's own time (µs resolution, unlike autocannon's ms histogram). */
async function load(server: Server, bodies: string[], duration: number): Promise<Omit<Measured, "server" | "case" | "rowsPerRequest">> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${server.url}/predict`,
        connections,
        pipelining: 1,
        duration,
        headers: { "content-type": "application/json" },
        requests: bodies.map((body) => ({ method: "POST", body })),
      },
      (error, res) => (error ? reject(error as Error) : resolve(res)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) times.push(responseTime);
    });
  });
  times.sort((x, y) => x - y);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { requests: result.requests.total, non2xx: result.non2xx, errors: result.errors + result.timeouts, rps: result.requests.total / duration, p50: at(0.5), p99: at(0.99) };
}

ensureModel();
ensureBenchVenv();
console.log("bench: compiling the server (docker/inference/tsconfig.json)");
run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "docker/inference/tsconfig.json", "--outDir", path.join(venv, "serve-dist")]);

const parity = JSON.parse(readFileSync(path.join(models, "parity.json"), "utf8")) as { instances: number[][]; tolerance: number };
const [oursPort, fastapiPort] = [await freePort(), await freePort()];
const baseEnv = { ...process.env };
delete baseEnv.OPENBLAS_CORETYPE; // slows a current numpy where set (see the workplace notes); never helps here
delete baseEnv.OPENBLAS_L2_SIZE;
const ours = await start(
  "ours",
  process.execPath,
  [path.join(venv, "serve-dist/serve/main.js")],
  { ...baseEnv, MODEL_PATH: path.join(models, "model.onnx"), SERVE_HOST: "127.0.0.1", SERVE_PORT: String(oursPort), LOG_LEVEL: "warn" },
  oursPort,
  "/ready",
);
const fastapi = await start(
  "FastAPI",
  path.join(venv, "bin/python"),
  ["-m", "uvicorn", "fastapi_server:app", "--app-dir", "bench/inference", "--host", "127.0.0.1", "--port", String(fastapiPort), "--workers", "1", "--loop", "uvloop", "--http", "httptools", "--log-level", "warning", "--no-access-log"],
  { ...baseEnv, MODEL_PKL: path.join(models, "model.pkl"), ENDPOINT: endpoint },
  fastapiPort,
  "/health",
);

const results: Measured[] = [];
let memories: { name: string; rss: number; peak: number }[] = [];
let batching = "";
try {
  await checkSameAnswers([ours, fastapi], parity.instances, parity.tolerance);
  const cases = [
    { name: "1 row", rows: 1, bodies: parity.instances.slice(0, 64).map((row) => JSON.stringify({ instances: [row] })) },
    { name: "100 rows", rows: 100, bodies: [0, 100, 200, 300, 400].map((start) => JSON.stringify({ instances: parity.instances.slice(start, start + 100) })) },
  ];
  for (const c of cases) {
    for (const server of [fastapi, ours]) {
      console.log(`bench: ${server.name}, ${c.name} per request: ${warmup} s warm-up, ${seconds} s measured`);
      await load(server, c.bodies, warmup);
      results.push({ server: server.name, case: c.name, rowsPerRequest: c.rows, ...(await load(server, c.bodies, seconds)) });
    }
  }
} finally {
  memories = [ours, fastapi].map((s) => ({ name: s.name, ...(s.child.pid && s.child.exitCode === null ? memory(s.child.pid) : { rss: NaN, peak: NaN }) }));
  batching = await fetch(`${ours.url}/metrics`).then((r) => r.text(), () => "");
  await Promise.all([stop(ours), stop(fastapi)]);
}

const python = spawnSync(path.join(venv, "bin/python"), ["--version"], { encoding: "utf8" }).stdout.trim();
console.log(`\n/predict over HTTP on 127.0.0.1 — ${connections} connections, ${seconds} s per run after a ${warmup} s warm-up; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"})`);
console.log(`ours: node ${process.version}, onnxruntime-node, compiled server; FastAPI: ${python}, uvicorn + uvloop + httptools, 1 worker, \`${endpoint === "sync" ? "def" : "async def"}\` endpoint, scikit-learn pipeline\n`);
console.log("| Server | Case | Requests | Non-2xx / errors | Requests/s | Rows/s | p50 (ms) | p99 (ms) |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of results) {
  console.log(`| ${r.server} | ${r.case} | ${r.requests} | ${r.non2xx} / ${r.errors} | ${r.rps.toFixed(0)} | ${(r.rps * r.rowsPerRequest).toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
}
console.log("\n| Case | Requests/s, ours / FastAPI | p99, ours / FastAPI |");
console.log("| --- | ---: | ---: |");
for (const c of [...new Set(results.map((r) => r.case))]) {
  const o = results.find((r) => r.case === c && r.server === "ours")!;
  const f = results.find((r) => r.case === c && r.server === "FastAPI")!;
  console.log(`| ${c} | ${(o.rps / f.rps).toFixed(2)}x | ${(o.p99 / f.p99).toFixed(2)}x |`);
}
console.log("\n| Server | RSS after the load (MB) | Peak RSS (MB) |");
console.log("| --- | ---: | ---: |");
for (const m of memories) console.log(`| ${m.name} | ${m.rss.toFixed(0)} | ${m.peak.toFixed(0)} |`);
const runs = /^inference_batch_requests_count (\S+)$/m.exec(batching)?.[1];
const batched = /^inference_batch_requests_sum (\S+)$/m.exec(batching)?.[1];
if (runs && batched) console.log(`\nours: ${batched} requests in ${runs} onnxruntime runs (${(Number(batched) / Number(runs)).toFixed(1)} requests per run on average, micro-batching)`);
