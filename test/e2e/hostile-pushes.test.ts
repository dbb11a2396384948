import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHubCall } from "../helpers/fake-github.js";
import { makeDvcOrigin, type DvcOrigin } from "../helpers/dvc-origin.js";
import { JOB_PATH } from "../helpers/example-repo.js";
import { git } from "../helpers/git-repo.js";
import { OWNER, REPO, pullRequestEventPayload } from "../helpers/payloads.js";
import { testPrivateKey } from "../helpers/test-probot.js";

/**
 * The real bot (`src/main.ts`, in its own process, GitHub faked over HTTP) against what a
 * stranger can send: fork pull requests whose `ml/params.yaml` is 500,000 `[` then `]`, 100,000
 * keys, or an alias bomb, and webhook bodies of 30 MB. The process must stay up and answer
 * /healthz all along, each data check must end naming the file, and its memory must stay under
 * MEMORY_BOUND (docs/configuration.md, "Limits on repository files").
 */
const SECRET = "hostile-secret";
const MEMORY_BOUND = 1024 * 1024 * 1024; // peak resident set of the bot process (parse workers included), bytes
const HOSTILE = {
  brackets: { number: 21, text: `${"[".repeat(500_000)}${"]".repeat(500_000)}` },
  keys: { number: 22, text: Array.from({ length: 100_000 }, (_, i) => `k${i.toString(36)}: 1`).join("\n") },
  bomb: { number: 23, text: ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`)].join("\n") },
} as const;

let work: string;
let origin: DvcOrigin;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let bot: ChildProcess;
let botUrl: string;
let log = "";
const health: Array<number | string> = [];
let polling: NodeJS.Timeout | undefined;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "mlops-bot-hostile-"));
  origin = makeDvcOrigin({ dir: path.join(work, "origin", OWNER, REPO), hugeFiles: 5 });
  for (const { number, text } of Object.values(HOSTILE)) {
    git(origin.origin, "checkout", "-q", "-b", `hostile-${number}`, origin.base);
    writeFileSync(path.join(origin.ml, "params.yaml"), text);
    git(origin.origin, "commit", "-q", "-am", "hostile params");
    git(origin.origin, "update-ref", `refs/pull/${number}/head`, git(origin.origin, "rev-parse", "HEAD"));
    git(origin.origin, "checkout", "-q", "-f", "main");
  }
  github = await startFakeGitHub();
  const host = new URL(github.url).host;
  // node itself (tsx as a loader, not its CLI, which would run the bot in a child): the pid is the bot's.
  bot = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
      APP_ID: "123",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: host,
      GHE_PROTOCOL: "http",
      PORT: "0",
      HOST: "127.0.0.1",
      MLOPS_DATA_DIR: path.join(work, "data"),
      MLOPS_CLONE_URL: path.join(work, "origin", "{owner}", "{repo}"),
      MLOPS_JOB_PATH: JOB_PATH,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  bot.stdout!.on("data", (c: Buffer) => (log += c.toString("utf8")));
  bot.stderr!.on("data", (c: Buffer) => (log += c.toString("utf8")));
  botUrl = await waitFor(() => /Listening on (http:\/\/[^"\s]+)/.exec(log)?.[1], 120_000, "the bot to listen");
  polling = setInterval(() => void get("/healthz").then((status) => health.push(status)), 50);
}, 300_000);

afterAll(async () => {
  if (polling) clearInterval(polling);
  bot?.kill("SIGKILL");
  await github?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the real bot against hostile input", () => {
  it("refuses 30 MB webhook bodies before reading them, logs one line without the payload, and runs nothing", async () => {
    const marker = `PAYLOAD-${randomUUID()}`;
    const body = Buffer.alloc(30 * 1024 * 1024, ` ${marker}`);
    const declared = await post({ body, delivery: "big-declared", chunked: false });
    const streamed = await post({ body, delivery: "big-streamed", chunked: true });
    // 413, or a reset when the refusal closed the connection before the answer was read (the log
    // lines below show the bot refused both).
    for (const status of [declared, streamed]) expect([413, "reset"]).toContain(status);
    await waitFor(() => (log.includes('"delivery":"big-streamed"') ? true : undefined), 10_000, "the refusal's log line");
    const lines = log.split("\n").filter((l) => l.includes("webhook delivery refused"));
    expect(lines.filter((l) => l.includes('"delivery":"big-declared"') && l.includes('"reason":"too large"'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('"delivery":"big-streamed"') && l.includes('"reason":"too large"'))).toHaveLength(1);
    expect(log).not.toContain(marker);
    expect(github.calls).toEqual([]); // no handler ran: not even a token was asked for
  });

  it("refuses a delivery with a bad signature in one line, without its payload", async () => {
    const marker = `PAYLOAD-${randomUUID()}`;
    expect(await post({ body: Buffer.from(JSON.stringify({ marker })), delivery: "bad-signature", secret: "wrong" })).toBe(401);
    await waitFor(() => (log.includes('"delivery":"bad-signature"') ? true : undefined), 10_000, "the refusal's log line");
    expect(log.split("\n").filter((l) => l.includes('"delivery":"bad-signature"') && l.includes("signature does not match"))).toHaveLength(1);
    expect(log).not.toContain(marker);
  });

  it("stays up through hostile pushes on fork PRs: each data check ends, naming the file; /healthz answers; memory stays bounded", async () => {
    for (const { number } of Object.values(HOSTILE)) {
      const head = git(origin.origin, "rev-parse", `refs/pull/${number}/head`);
      const payload = pullRequestEventPayload({ action: "synchronize", number, head, base: origin.base, fork: true });
      expect(await post({ body: Buffer.from(JSON.stringify(payload)), delivery: `push-${number}`, event: "pull_request" })).toBe(200);
    }
    const finals = await waitFor(() => {
      const done = github.calls.filter((c) => c.method === "PATCH" && /\/check-runs\/\d+$/.test(c.path) && hasConclusion(c));
      return done.length >= 3 ? done : undefined;
    }, 600_000, "three data checks to end");
    const summaries = finals.map((c) => (c.body as { output: { title: string; summary: string } }).output);
    const byFile = summaries.filter((o) => o.summary.includes("ml/params.yaml"));
    expect(byFile).toHaveLength(3);
    expect(summaries.some((o) => /ml\/params\.yaml.*nesting is deeper than 64 levels/.test(o.summary))).toBe(true);
    expect(summaries.some((o) => /ml\/params\.yaml.*holds more than 1000000 values once its aliases are expanded/.test(o.summary))).toBe(true);
    expect(summaries.some((o) => o.title.includes("100,004 params changed"))).toBe(true); // 100,000 keys are read, within limits

    expect(bot.exitCode).toBeNull();
    expect(await get("/healthz")).toBe(200);
    expect(health.length).toBeGreaterThan(0);
    expect(health.filter((s) => s !== 200)).toEqual([]);
    expect(peakMemory(bot.pid!)).toBeLessThan(MEMORY_BOUND);
  }, 700_000);
});

function hasConclusion(call: FakeGitHubCall): boolean {
  return typeof (call.body as { conclusion?: unknown } | undefined)?.conclusion === "string";
}

/** The process's peak resident set (VmHWM), in bytes. */
function peakMemory(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) * 1024;
}

async function waitFor<T>(probe: () => T | undefined, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (bot?.exitCode !== null && bot?.exitCode !== undefined) throw new Error(`the bot exited (${bot.exitCode}) waiting for ${what}:\n${log.slice(-3000)}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}:\n${log.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function get(pathname: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(`${botUrl}${pathname}`, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", (e) => resolve(e.message));
    req.end();
  });
}

/**
 * A webhook delivery, signed with `secret`; `chunked` sends it without a Content-Length. Resolves
 * to the status, or to "reset" when the bot, refusing early, closed the connection while the body
 * was still going out: the write then fails (EPIPE) and the answer may never be read. The test
 * waited for an answer that never came until its timeout, now and then on a loaded machine.
 */
function post(params: { body: Buffer; delivery: string; event?: string; secret?: string; chunked?: boolean }): Promise<number | "reset"> {
  const signature = `sha256=${createHmac("sha256", params.secret ?? SECRET).update(params.body).digest("hex")}`;
  return new Promise((resolve, reject) => {
    const req = request(`${botUrl}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": params.event ?? "issue_comment",
        "x-github-delivery": params.delivery,
        "x-hub-signature-256": signature,
        ...(params.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(params.body.length) }),
      },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The bot may close the connection before the whole body went out: its answer still counts
    // when it was read first (a response resolves before the error), else the reset is the answer.
    req.on("error", (e) => (req.headersSent ? resolve("reset") : reject(e)));
    if (!params.chunked) req.end(params.body);
    else {
      for (let at = 0; at < params.body.length; at += 1 << 20) req.write(params.body.subarray(at, at + (1 << 20)));
      req.end();
    }
  });
}
