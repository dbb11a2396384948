/**
 * npm run bench:webhooks — signed `issue_comment` deliveries over HTTP on 127.0.0.1, against
 * mlops-bot and against a bare Probot app with a no-op handler, in the same run, each server in
 * its own process, driven by autocannon. Prints requests/s, p50, p99 and the ratio to the bare app.
 *
 * BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10) and BENCH_ROUNDS (default 2) tune the run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as Array<{ name: string; examples: Array<Record<string, any>> }>;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

// A real issue_comment.created payload on a PR, with an ordinary review comment (no command):
// what most deliveries a bot receives look like.
const payload = structuredClone(examples.find((e) => e.name === "issue_comment")!.examples.find((e) => e.action === "created")!);
payload.installation = { id: 2 };
payload.issue.pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };
payload.comment.body = "Looks good to me. The new split keeps the class balance; nice.\n\n> /train\n\nwas the command I used.";
const body = JSON.stringify(payload);
const signature = `sha256=${createHmac("sha256", "bench-secret").update(body).digest("hex")}`;

async function startServer(which: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/webhooks/server.ts", which], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`${which} server exited with ${code}`)));
  });
  return { child, port };
}

function load(port: number, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    method: "POST",
    connections,
    duration,
    headers: {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-hub-signature-256": signature,
    },
    body,
  });
}

// Each app runs in two rounds, in A-B-B-A order, so neither gains from running second (warm
// caches, other load on the machine); the table gives the mean of its rounds.
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const order = Array.from({ length: rounds }, (_, i) => (i % 2 === 0 ? ["bare", "ours"] : ["ours", "bare"])).flat();
const samples: Array<{ app: string; rps: number; p50: number; p99: number; non2xx: number; requests: number }> = [];
for (const which of order) {
  const { child, port } = await startServer(which);
  await load(port, 2); // warm-up
  const result = await load(port, seconds);
  samples.push({ app: which, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, requests: result.requests.total });
  child.kill("SIGTERM");
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const rows = ["bare", "ours"].map((app) => {
  const mine = samples.filter((s) => s.app === app);
  return {
    app,
    rps: mean(mine.map((s) => s.rps)),
    p50: mean(mine.map((s) => s.p50)),
    p99: mean(mine.map((s) => s.p99)),
    non2xx: mine.reduce((a, s) => a + s.non2xx, 0),
    requests: mine.reduce((a, s) => a + s.requests, 0),
  };
});

const bare = rows.find((r) => r.app === "bare")!;
const name = (app: string) => (app === "ours" ? "mlops-bot" : "bare Probot (no-op handler)");
console.log(`\nSigned issue_comment deliveries over HTTP on 127.0.0.1 — ${connections} connections, ${rounds} rounds of ${seconds} s per app (A-B-B-A), each after a 2 s warm-up\n`);
console.log("| App | Requests | Non-2xx | Requests/s | p50 (ms) | p99 (ms) | Requests/s vs bare | p99 vs bare |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(
    `| ${name(r.app)} | ${r.requests} | ${r.non2xx} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.rps / bare.rps).toFixed(2)}x | ${(r.p99 / Math.max(bare.p99, 0.001)).toFixed(2)}x |`,
  );
}
