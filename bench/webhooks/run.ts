/**
 * npm run bench:webhooks — signed `issue_comment` deliveries over HTTP on 127.0.0.1, against
 * mlops-bot and against a bare Probot app with a no-op handler, in the same run, each server in
 * its own process, driven by autocannon. Two cases: an ordinary review comment (no command: what
 * most deliveries are), and a real `/train` taken through to the queued check run (a new comment
 * on a new pull request each request; GitHub's API is a fake HTTP server on 127.0.0.1 answering
 * with GitHub's shapes: 👀, permission, the PR, the check run; the repo config is read with git from a local origin). Prints requests/s, p50,
 * p99 and the ratio to the bare app per case.
 *
 * BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10) and BENCH_ROUNDS (default 2) tune the run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startFakeGitHub } from "../../test/helpers/fake-github.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as Array<{ name: string; examples: Array<Record<string, any>> }>;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

// A real issue_comment.created payload on a PR, with an ordinary review comment (no command):
// what most deliveries a bot receives look like.
const payload = structuredClone(examples.find((e) => e.name === "issue_comment")!.examples.find((e) => e.action === "created")!);
payload.installation = { id: 2 };
payload.repository.default_branch = "main"; // the branch of the server's local origin, where the bot reads the repo config
payload.issue.pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };
payload.comment.body = "Looks good to me. The new split keeps the class balance; nice.\n\n> /train\n\nwas the command I used.";
const body = JSON.stringify(payload);
const sign = (text: string) => `sha256=${createHmac("sha256", "bench-secret").update(text).digest("hex")}`;

// The same payload as a `/train` comment; each request gets its own comment id (a redelivery
// would be dropped) and its own pull request (so no job supersedes another's).
const COMMENT_ID = 8_888_888_888;
const PR_NUMBER = 777_777;
const train = structuredClone(payload);
train.comment.body = "/train";
train.comment.id = COMMENT_ID;
train.issue.number = PR_NUMBER;
const trainTemplate = JSON.stringify(train);
let trainCount = 0;
function nextTrainBody(): string {
  trainCount++;
  // The fake GitHub's pull requests have numbers up to 9999 (their head sha holds the number).
  return trainTemplate.replace(String(COMMENT_ID), String(COMMENT_ID + trainCount)).replace(String(PR_NUMBER), String((trainCount % 9999) + 1));
}

type CaseName = "review comment" | "/train";
const CASES: CaseName[] = ["review comment", "/train"];

async function startServer(which: string, githubUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/webhooks/server.ts", which], {
    cwd: root,
    env: { ...process.env, FAKE_GITHUB_URL: githubUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once("exit", (code) => reject(new Error(`${which} server exited with ${code}`)));
  });
  return { child, port };
}

function load(port: number, duration: number, which: CaseName): Promise<autocannon.Result> {
  const headers = {
    "content-type": "application/json",
    "x-github-event": "issue_comment",
    "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  };
  return autocannon({
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    method: "POST",
    connections,
    duration,
    headers: { ...headers, "x-hub-signature-256": sign(body) },
    body,
    ...(which === "/train"
      ? {
          requests: [
            {
              setupRequest: (req: Record<string, any>) => {
                const text = nextTrainBody();
                return { ...req, body: text, headers: { ...headers, "x-hub-signature-256": sign(text) } };
              },
            },
          ],
        }
      : {}),
  });
}

// Each app runs in two rounds per case, in A-B-B-A order, so neither gains from running second
// (warm caches, other load on the machine); the table gives the mean of its rounds. Each round
// is a fresh server process (a fresh job store).
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const order = Array.from({ length: rounds }, (_, i) => (i % 2 === 0 ? ["bare", "ours"] : ["ours", "bare"])).flat();
const github = await startFakeGitHub();
const startLoad = loadavg()[0]!;
const samples: Array<{ app: string; case: CaseName; rps: number; p50: number; p99: number; non2xx: number; requests: number }> = [];
for (const which of CASES) {
  for (const app of order) {
    const { child, port } = await startServer(app, github.url);
    await load(port, 2, which); // warm-up
    const result = await load(port, seconds, which);
    samples.push({ app, case: which, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, requests: result.requests.total });
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}
await github.close();
const checkRuns = github.calls.filter((c) => c.method === "POST" && c.path.endsWith("/check-runs")).length;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const name = (app: string) => (app === "ours" ? "mlops-bot" : "bare Probot (no-op handler)");
console.log(`\nSigned issue_comment deliveries over HTTP on 127.0.0.1 — ${connections} connections, ${rounds} rounds of ${seconds} s per app and case (A-B-B-A), each after a 2 s warm-up`);
console.log(`${cpus().length} CPUs, load average ${startLoad.toFixed(2)} at the start and ${loadavg()[0]!.toFixed(2)} at the end: a shared machine's numbers.\n`);
console.log("| Case | App | Requests | Non-2xx | Requests/s | p50 (ms) | p99 (ms) | Requests/s vs bare | p99 vs bare |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const which of CASES) {
  const rows = ["bare", "ours"].map((app) => {
    const mine = samples.filter((s) => s.app === app && s.case === which);
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
  for (const r of rows) {
    console.log(
      `| ${which} | ${name(r.app)} | ${r.requests} | ${r.non2xx} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.rps / bare.rps).toFixed(2)}x | ${(r.p99 / Math.max(bare.p99, 0.001)).toFixed(2)}x |`,
    );
  }
}
console.log(`\n/train: ${checkRuns} queued check runs created on the fake GitHub (one per /train mlops-bot answered, warm-ups included).`);
console.log("Octokit's write throttle is off in this bench: in production it paces each process's writes (👀, the check run) at one a second.");
