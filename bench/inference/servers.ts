/** The HTTP servers the bench compares: each in its own process tree on 127.0.0.1, checked against parity.json. */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { checkParity, models, root, serverJs, venv, type Parity } from "./prepare.js";

export interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
}

export interface ServerSpec {
  readonly name: string;
  readonly command: string;
  readonly args: string[];
  readonly env: NodeJS.ProcessEnv;
  readonly port: number;
  readonly readyPath: string;
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

/**
 * Ours (compiled, a worker per core) and the FastAPI baselines, each at the setting named.
 * The baselines read and write JSON with orjson (CODEC=orjson), the faster of the two ways
 * measured here; one per-core line keeps FastAPI's documented way (pydantic models for the body
 * and the answer) for comparison.
 */
export async function serverSpecs(params: { cores: number; endpoint: "async" | "sync" }): Promise<ServerSpec[]> {
  const { cores, endpoint } = params;
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; // slows a current numpy where set (see the workplace notes); never helps here
  delete env.OPENBLAS_L2_SIZE;
  const uvicorn = async (name: string, workers: number, backend: Record<string, string>, codec: "orjson" | "pydantic" = "orjson"): Promise<ServerSpec> => {
    const port = await freePort();
    const args = ["-m", "uvicorn", "fastapi_server:app", "--app-dir", "bench/inference", "--host", "127.0.0.1", "--port", String(port), "--workers", String(workers)];
    args.push("--loop", "uvloop", "--http", "httptools", "--log-level", "warning", "--no-access-log");
    // One BLAS/OpenMP thread per worker: with a worker per core, more only fight over the cores.
    const threads = workers > 1 ? { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" } : {};
    return { name, command: path.join(venv, "bin/python"), args, env: { ...env, ...threads, ...backend, ENDPOINT: endpoint, CODEC: codec }, port, readyPath: "/health" };
  };
  const oursPort = await freePort();
  return [
    {
      name: `ours, ${cores} workers`,
      command: process.execPath,
      args: [serverJs],
      env: { ...env, MODEL_PATH: path.join(models, "model.onnx"), SERVE_HOST: "127.0.0.1", SERVE_PORT: String(oursPort), SERVE_WORKERS: String(cores), LOG_LEVEL: "warn" },
      port: oursPort,
      readyPath: "/ready",
    },
    await uvicorn(`FastAPI + onnxruntime, ${cores} workers`, cores, { BACKEND: "onnxruntime", MODEL_ONNX: path.join(models, "model.onnx"), ORT_THREADS: "1" }),
    await uvicorn(`FastAPI + onnxruntime, ${cores} workers, pydantic I/O`, cores, { BACKEND: "onnxruntime", MODEL_ONNX: path.join(models, "model.onnx"), ORT_THREADS: "1" }, "pydantic"),
    await uvicorn("FastAPI + onnxruntime, 1 worker", 1, { BACKEND: "onnxruntime", MODEL_ONNX: path.join(models, "model.onnx"), ORT_THREADS: "0" }),
    await uvicorn(`FastAPI + scikit-learn, ${cores} workers`, cores, { BACKEND: "sklearn", MODEL_PKL: path.join(models, "model.pkl") }),
  ];
}

export async function startServer(spec: ServerSpec): Promise<Server> {
  const child = spawn(spec.command, spec.args, { cwd: root, env: spec.env, stdio: ["ignore", "inherit", "inherit"] });
  const url = `http://127.0.0.1:${spec.port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited with ${child.exitCode} before it was ready`);
    const ok = await fetch(`${url}${spec.readyPath}`).then((r) => r.ok, () => false);
    if (ok) return { name: spec.name, child, url };
    if (Date.now() > deadline) throw new Error(`${spec.name} was not ready at ${url}${spec.readyPath} within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

/** The server answers all 500 test rows (one request) as scikit-learn does, within parity.json's tolerance. */
export async function checkServer(server: Server, parity: Parity): Promise<void> {
  const res = await fetch(`${server.url}/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ instances: parity.instances }) });
  if (!res.ok) throw new Error(`${server.name} answered ${res.status}: ${await res.text()}`);
  const { predictions } = (await res.json()) as { predictions: { label: number; probabilities: Record<string, number> }[] };
  const keys = parity.classes.map(String);
  const problem = checkParity(
    parity,
    parity.instances.map((_, i) => i),
    predictions.map((p) => p.label),
    (k, c) => predictions[k]!.probabilities[keys[c]!]!,
  );
  if (problem) throw new Error(`${server.name} does not match scikit-learn (parity.json): ${problem}`);
}

/** A process and its descendants, with each one's user + system CPU time in clock ticks. */
function processTree(pid: number): { pid: number; ticks: number }[] {
  const stats = new Map<number, { parent: number; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
      stats.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let k = 0; k < tree.length; k++) for (const [child, s] of stats) if (s.parent === tree[k]) tree.push(child);
  return tree.map((p) => ({ pid: p, ticks: stats.get(p)?.ticks ?? 0 }));
}

/** CPU seconds (user + system) a process and its descendants have used so far (Linux clock ticks of 1/100 s). */
export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + p.ticks, 0) / 100;
}

/** Resident (RSS) and proportional (PSS: shared pages split between the processes) memory of a process and its descendants, in MB. */
export function treeMemory(pid: number): { rss: number; pss: number; processes: number } {
  const tree = processTree(pid).map((p) => p.pid);
  let rss = 0;
  let pss = 0;
  for (const p of tree) {
    try {
      const rollup = readFileSync(`/proc/${p}/smaps_rollup`, "utf8");
      rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { rss: rss / 1024, pss: pss / 1024, processes: tree.length };
}
