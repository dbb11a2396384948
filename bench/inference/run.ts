/**
 * npm run bench:inference — the inference server (src/serve: a worker process per core,
 * onnxruntime-node, compiled as the Docker image runs it) against what a careful Python team
 * would run instead, and against the physical floor, all in the same run, on the same model:
 *
 * - FastAPI + Python onnxruntime (the same ONNX file), one uvicorn worker per core, one
 *   intra-op thread each, JSON through orjson: the strongest baseline;
 * - the same with FastAPI's documented pydantic models for the body and the answer;
 * - FastAPI + Python onnxruntime, one worker (onnxruntime's default threads);
 * - FastAPI + scikit-learn (the pickled pipeline the ONNX file is exported from), one worker
 *   per core;
 *   (all: uvicorn with uvloop and httptools, orjson unless said otherwise;
 *   bench/inference/fastapi_server.py)
 * - the floor: the server's own onnxruntime call (tensor + session.run) in a loop, no HTTP,
 *   one process per core (bench/inference/floor.ts).
 *
 * Cases: 1 row per request and 100 rows. Before timing, each server's answers to the 500 test
 * rows, and the floor's, are checked against scikit-learn's (ml/models/parity.json: labels
 * equal, probabilities within 1e-5). Rounds alternate the order (A-B-C-D-E, then E-D-C-B-A,
 * ...), so drift on a shared machine does not favour whoever runs first; each round is
 * printed, then the medians and ours ÷ each, then each server's memory after its load.
 *
 * Load generator: wrk (Debian's package), one thread, BENCH_CONNECTIONS keep-alive
 * connections. Chosen over autocannon (a devDependency) because the generator shares the
 * cores with the server under test: wrk is C on epoll and spends a fraction of what a Node
 * load generator spends per request, so it takes less CPU away from whichever server it
 * drives, and the same for all of them; one thread keeps it to at most one core. Latency
 * percentiles come from wrk's per-request histogram (send to full answer).
 *
 * It makes what it needs: the model (`dvc repro` in ml/ through <repo>/.venv), the baselines'
 * venv (<repo>/.venv-bench, from bench/inference/requirements.txt), the compiled server
 * (.venv-bench/serve-dist); it stops with what to run when wrk is missing.
 *
 * BENCH_SECONDS (8) per measurement, BENCH_WARMUP_SECONDS (3) once per server and case,
 * BENCH_ROUNDS (4), BENCH_CONNECTIONS (16), BENCH_WORKERS (the core count: our workers, the
 * per-core baselines' workers and the floor's processes); FASTAPI_ENDPOINT=async|sync (async:
 * the faster here).
 */
import os from "node:os";
import { measureFloor } from "./floor.js";
import { prepare } from "./prepare.js";
import { FLOOR, printRound, printSummary, type Measurement, type Memory } from "./report.js";
import { checkServer, serverSpecs, startServer, stopServer, treeCpuSeconds, treeMemory, type Server } from "./servers.js";
import { bodyFilesFor, runWrk } from "./wrk.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const cores = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
const endpoint = process.env.FASTAPI_ENDPOINT === "sync" ? "sync" : "async";

const parity = prepare();
const specs = await serverSpecs({ cores, endpoint });
const servers: Server[] = [];
const results: Measurement[] = [];
const memory = new Map<string, Memory>();
let batching = "";
try {
  for (const spec of specs) servers.push(await startServer(spec));
  for (const server of servers) await checkServer(server, parity);
  console.log(`bench: all ${servers.length} servers answer the 500 test rows as scikit-learn does (parity.json, tolerance ${parity.tolerance})`);
  const cases = [
    { name: "1 row", rows: 1, bodies: bodyFilesFor(parity.instances.slice(0, 64).map((row) => JSON.stringify({ instances: [row] }))) },
    { name: "100 rows", rows: 100, bodies: bodyFilesFor([0, 100, 200, 300, 400].map((start) => JSON.stringify({ instances: parity.instances.slice(start, start + 100) }))) },
  ];
  const load = (server: Server, bodies: string[], duration: number) => runWrk({ url: server.url, bodies, seconds: duration, connections, threads: 1 });
  const loadMeasuringCpu = async (server: Server, bodies: string[]) => {
    const before = treeCpuSeconds(server.child.pid!);
    const result = await load(server, bodies, seconds);
    return { ...result, cpuSeconds: treeCpuSeconds(server.child.pid!) - before };
  };
  for (const c of cases) {
    for (const server of servers) await load(server, c.bodies, warmup);
    const entries = [...servers.map((s) => s.name), FLOOR];
    for (let round = 1; round <= rounds; round++) {
      for (const name of round % 2 === 1 ? entries : [...entries].reverse()) {
        const server = servers.find((s) => s.name === name);
        const measured = server ? await loadMeasuringCpu(server, c.bodies) : await measureFloor({ rows: c.rows, seconds, processes: cores });
        if (server?.child.pid) memory.set(name, treeMemory(server.child.pid));
        const m: Measurement = { round, server: name, case: c.name, rowsPerRequest: c.rows, ...measured };
        results.push(m);
        printRound(m);
      }
    }
  }
  batching = await fetch(`${servers[0]!.url}/metrics`).then((r) => r.text(), () => "");
} finally {
  await Promise.all(servers.map(stopServer));
}

const cpu = os.cpus()[0]?.model ?? "?";
console.log(`\n/predict over HTTP on 127.0.0.1: wrk, 1 thread, ${connections} connections, ${seconds} s per measurement after a ${warmup} s warm-up; ${os.cpus().length} CPUs (${cpu}), load average before the end ${os.loadavg()[0]!.toFixed(2)}`);
console.log(`ours: node ${process.version}, onnxruntime-node, compiled, SERVE_WORKERS=${cores}; FastAPI: \`${endpoint === "sync" ? "def" : "async def"}\` endpoint; floor: ${cores} processes`);
printSummary({ results, memory, ours: servers[0]!.name });
console.log("\nMemory: after that server's last load, summed over its processes (RSS counts shared pages once per process; PSS splits them).");
const runs = /^inference_batch_requests_count (\S+)$/m.exec(batching)?.[1];
const batched = /^inference_batch_requests_sum (\S+)$/m.exec(batching)?.[1];
if (runs && batched) console.log(`ours: ${batched} requests in ${runs} onnxruntime runs (${(Number(batched) / Number(runs)).toFixed(1)} requests per run on average, micro-batching per worker)`);
