/** One load run with wrk (C, epoll): what the bench drives the HTTP servers with. */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface LoadResult {
  readonly requests: number;
  /** Non-2xx/3xx answers (wrk counts status > 399). */
  readonly non2xx: number;
  /** Connect, read, write errors and timeouts. */
  readonly errors: number;
  readonly rps: number;
  /** Milliseconds, from wrk's per-request latency histogram (send to full answer). */
  readonly p50: number;
  readonly p99: number;
  /** CPU seconds the server (or the floor's processes) used during the measurement; wrk's own are not counted. */
  readonly cpuSeconds?: number;
}

/** Cycles through the bodies, one per request; reports as one JSON line. */
const SCRIPT = `
local requests = {}
local n = 0
init = function(args)
  for i, file in ipairs(args) do
    local f = assert(io.open(file, "rb"))
    requests[i] = wrk.format("POST", "/predict", { ["Content-Type"] = "application/json" }, f:read("*a"))
    f:close()
  end
end
request = function()
  n = n % #requests + 1
  return requests[n]
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"duration_us":%d,"errors":%d,"status":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
end
`;

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-inference-"));
const scriptFile = path.join(dir, "predict.lua");
writeFileSync(scriptFile, SCRIPT);
let bodyFiles = 0;

/** Writes request bodies where wrk's script reads them; returns their paths. */
export function bodyFilesFor(bodies: readonly string[]): string[] {
  return bodies.map((body) => {
    const file = path.join(dir, `body-${bodyFiles++}.json`);
    writeFileSync(file, body);
    return file;
  });
}

export function runWrk(params: { url: string; bodies: readonly string[]; seconds: number; connections: number; threads: number }): Promise<LoadResult> {
  const args = ["-t", String(params.threads), "-c", String(params.connections), "-d", `${params.seconds}s`, "--timeout", "10s", "-s", scriptFile, `${params.url}/predict`, "--", ...params.bodies];
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = /^WRK_RESULT (.*)$/m.exec(out)?.[1];
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited ${code}: ${out}`));
        return;
      }
      const r = JSON.parse(line) as { requests: number; duration_us: number; errors: number; status: number; p50_us: number; p99_us: number };
      resolve({ requests: r.requests, non2xx: r.status, errors: r.errors, rps: r.requests / (r.duration_us / 1e6), p50: r.p50_us / 1000, p99: r.p99_us / 1000 });
    });
  });
}
