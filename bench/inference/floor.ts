/**
 * The physical floor of the bench: the server's own onnxruntime call (`loadModel(...).run`:
 * a float32 tensor, `session.run`, the same session options), in a loop, no HTTP and no JSON,
 * in one process per core at once (as the server's workers run). `measureFloor` starts the
 * processes (this file with `--child`), each checks its answers against parity.json, and they
 * all measure over the same window.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadModel } from "../../src/serve/load-model.js";
import { checkParity, models, root, type Parity } from "./prepare.js";
import type { LoadResult } from "./wrk.js";

const START_DELAY_MS = 8000;

export async function measureFloor(params: { rows: number; seconds: number; processes: number }): Promise<LoadResult> {
  const startAt = Date.now() + START_DELAY_MS;
  const runs = Array.from({ length: params.processes }, () =>
    new Promise<{ calls: number; times: number[]; cpuSeconds: number }>((resolve, reject) => {
      const env = { ...process.env, FLOOR_ROWS: String(params.rows), FLOOR_SECONDS: String(params.seconds), FLOOR_START_AT: String(startAt) };
      const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/inference/floor.ts"), "--child"], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
      child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as { calls: number; times: number[]; cpuSeconds: number }) : reject(new Error(`floor process exited ${code}: ${out}`))));
    }),
  );
  const results = await Promise.all(runs);
  const times = results.flatMap((r) => r.times).sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  const calls = results.reduce((n, r) => n + r.calls, 0);
  const cpuSeconds = results.reduce((n, r) => n + r.cpuSeconds, 0);
  return { requests: calls, non2xx: 0, errors: 0, rps: calls / params.seconds, p50: at(0.5), p99: at(0.99), cpuSeconds };
}

/** One floor process: load, check against scikit-learn, warm up until the common start, then count calls for the window. */
async function child(): Promise<void> {
  const rows = Number(process.env.FLOOR_ROWS);
  const seconds = Number(process.env.FLOOR_SECONDS);
  const startAt = Number(process.env.FLOOR_START_AT);
  const parity = JSON.parse(readFileSync(path.join(models, "parity.json"), "utf8")) as Parity;
  const model = await loadModel({ modelPath: path.join(models, "model.onnx"), intraOpThreads: 1 });
  const all = await model.run(Float32Array.from(parity.instances.flat()), parity.instances.length);
  const width = parity.classes.length;
  const problem = checkParity(parity, parity.instances.map((_, i) => i), all.labels as BigInt64Array, (k, c) => all.probabilities[k * width + c]!);
  if (problem) throw new Error(`the floor's session does not match scikit-learn (parity.json): ${problem}`);

  const starts = rows === 1 ? parity.instances.map((_, i) => i) : [0, 100, 200, 300, 400];
  const inputs = starts.map((s) => Float32Array.from(parity.instances.slice(s, s + rows).flat()));
  let k = 0;
  if (Date.now() > startAt) throw new Error("the floor process was not ready by the common start; raise START_DELAY_MS");
  while (Date.now() < startAt) await model.run(inputs[k++ % inputs.length]!, rows);
  const end = startAt + seconds * 1000;
  const times: number[] = [];
  const cpu = process.cpuUsage();
  while (Date.now() < end) {
    const t = performance.now();
    await model.run(inputs[k++ % inputs.length]!, rows);
    times.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  await model.release();
  process.stdout.write(JSON.stringify({ calls: times.length, times: sample(times, 20_000), cpuSeconds: (used.user + used.system) / 1e6 }));
}

/** At most `n` of the times, evenly spread, for the percentiles (the count is exact). */
function sample(times: number[], n: number): number[] {
  if (times.length <= n) return times;
  return Array.from({ length: n }, (_, i) => times[Math.floor((i * times.length) / n)]!);
}

if (process.argv.includes("--child")) await child();
