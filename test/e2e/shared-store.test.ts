import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GcsJobStore } from "../../src/adapters/stores/gcs-job-store.js";
import { PostgresJobStore } from "../../src/adapters/stores/postgres-job-store.js";
import type { JobStore } from "../../src/ports/job-store.js";
import { ROOT } from "../helpers/example-repo.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { gcsEmulator } from "../helpers/gcs-emulator.js";
import { postgresServer } from "../helpers/postgres-server.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { deliveryHeaders } from "../helpers/serve-app.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/train-nocks.js";

const gcs = gcsEmulator();
const postgres = postgresServer();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A small seeded generator, so a failing order can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A bot process (test/helpers/shared-store-bot.ts) on the shared store its env names; resolves to its webhook URL. */
async function startBotProcess(params: { env: Record<string, string>; github: string; originRoot: string }): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "test/helpers/shared-store-bot.ts", tempDir(), params.github], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, MLOPS_CLONE_URL: path.join(params.originRoot, "{owner}", "{repo}"), ...params.env },
  });
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });
  let out = "";
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.includes("\n")) return out.split("\n")[0]!;
  }
  throw new Error(`the bot process exited before listening (code ${child.exitCode})`);
}

/** Each shared store: the environment its bot processes get, and the same store opened here to look. */
const backends: Array<[string, (() => Promise<{ env: Record<string, string>; open: () => JobStore }>) | undefined]> = [
  [
    "GCS",
    gcs &&
      (() => {
        const url = gcs.url("two-bots");
        return Promise.resolve({ env: { MLOPS_JOB_STORE: url, MLOPS_GCS_ENDPOINT: gcs.endpoint }, open: () => GcsJobStore.fromUrl(url, { apiEndpoint: gcs.endpoint }) });
      }),
  ],
  [
    "PostgreSQL",
    postgres &&
      (async () => {
        const url = await postgres.createDatabase("two_bots");
        return { env: { MLOPS_JOB_STORE: url }, open: () => new PostgresJobStore({ url }) };
      }),
  ],
];

describe.each(backends)("two bot processes sharing the %s job store", (name, backend) => {
  it.runIf(backend)("take 200 /train deliveries, a quarter redelivered, to either at random: exactly one job per command, none lost", async () => {
    const github = await startFakeGitHub();
    cleanups.push(() => github.close());
    const store = await backend!();
    // The "GitHub" repository both processes read the repo config from, with git (it has none: every default).
    const originRoot = path.join(tempDir(), "origin");
    commitRepoConfig(originRoot, undefined);
    const bots = await Promise.all([startBotProcess({ env: store.env, github: github.url, originRoot }), startBotProcess({ env: store.env, github: github.url, originRoot })]);

    // 150 comments on 10 pull requests; 50 of their deliveries come twice (GitHub's redelivery).
    const seed = 20_260_611;
    const rand = random(seed);
    const comments = Array.from({ length: 150 }, (_, i) => ({ id: 7000 + i, pr: (i % 10) + 1 }));
    const deliveries = comments.map((c) => ({ id: `delivery-${c.id}`, body: JSON.stringify(prCommentPayload({ body: "/train", commentId: c.id, pr: c.pr })) }));
    const queue = shuffle([...deliveries, ...shuffle(deliveries, rand).slice(0, 50)], rand);
    expect(queue).toHaveLength(200);

    const statuses: number[] = [];
    const latencies: number[] = [];
    const perBot = [0, 0];
    const started = performance.now();
    const sendAll = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const bot = rand() < 0.5 ? 0 : 1;
        perBot[bot]!++;
        const sent = performance.now();
        const res = await fetch(bots[bot], {
          method: "POST",
          headers: deliveryHeaders({ event: "issue_comment", id: next.id, body: next.body, secret: "test-secret" }),
          body: next.body,
        });
        await res.arrayBuffer();
        statuses.push(res.status);
        latencies.push(performance.now() - sent);
      }
    };
    await Promise.all(Array.from({ length: 16 }, sendAll));
    const seconds = (performance.now() - started) / 1000;

    // 200, or 202 when an intake outlasts Probot's 9 s answer timeout (a loaded machine): it goes on.
    expect(statuses.filter((s) => s !== 200 && s !== 202)).toEqual([]);
    const shared = store.open();
    cleanups.push(() => shared.close());
    const checkRunCalls = () => github.calls.filter((c) => c.method === "POST" && c.path === `/repos/${OWNER}/${REPO}/check-runs`);
    await waitFor(async () => checkRunCalls().length >= 150 && (await shared.list({})).every((j) => j.checkRunId !== null), 60_000);
    const jobs = await shared.list({});
    // Exactly one job per command: 150 jobs for 150 distinct comments, none twice, none lost.
    expect(jobs.map((j) => j.key).sort()).toEqual(comments.map((c) => `comment:${c.id}:0`).sort());
    // Each check run created once, for its job, and recorded on it.
    const checkRuns = checkRunCalls();
    expect(checkRuns.map((c) => (c.body as { external_id: string }).external_id).sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(new Set(jobs.map((j) => j.checkRunId)).size).toBe(150);
    expect(jobs.every((j) => j.checkRunId !== null)).toBe(true);
    // Redeliveries were refused before any GitHub call: one 👀 per comment.
    const reactions = github.calls.filter((c) => c.method === "POST" && c.path.endsWith("/reactions"));
    expect(reactions).toHaveLength(150);
    // Superseding across processes: the newest /train of each PR is never cancelled.
    for (let pr = 1; pr <= 10; pr++) {
      const ofPr = jobs.filter((j) => j.pr === pr);
      expect(ofPr.at(-1)?.state, `PR #${pr}`).toBe("queued");
      expect(ofPr.filter((j) => j.state === "queued").length, `PR #${pr}`).toBeGreaterThanOrEqual(1);
    }
    const queued = jobs.filter((j) => j.state === "queued").length;
    latencies.sort((a, b) => a - b);
    const ms = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(0);
    console.warn(
      `shared ${name} store: 200 deliveries (seed ${seed}; ${perBot[0]} to bot A, ${perBot[1]} to bot B) -> ${jobs.length} jobs, ` +
        `${200 - reactions.length} redeliveries refused, ${checkRuns.length} check runs, ${queued} queued / ${jobs.length - queued} superseded, in ${seconds.toFixed(1)} s ` +
        `(16 in flight; answer p50 ${ms(0.5)} ms, p99 ${ms(0.99)} ms; ${statuses.filter((s) => s === 202).length} answered 202 still processing)`,
    );
  }, 180_000);
});
