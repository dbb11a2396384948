/**
 * npm run bench:outbox — what storing a command's answer costs on each job store: per cycle, the
 * `/help` path of the comment runner without GitHub: claim the command, store its 👀, store the
 * reply that makes the claim final, then mark both delivered (what the intake does when GitHub
 * takes them at once). On SQLite (one file, WAL), PostgreSQL (the test services' server) and
 * Cloud Storage (fake-gcs-server), with 1 and 4 workers at once, each with its own store instance.
 *
 * Baseline for Cloud Storage: the path it had before its outbox, and the floor of any durable
 * "handled" mark there: one create-if-absent of the command's mark (`markCommandSeen`), the
 * answer then sent straight to GitHub (not measured: the same for every row).
 *
 * Each configuration runs BENCH_SECONDS (default 5) after a 1 s warm-up, on fresh storage, in
 * BENCH_ROUNDS (default 2) rounds whose order alternates (A-B-B-A); the table shows the means.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { GcsJobStore } from "../../src/adapters/stores/gcs-job-store.js";
import { PostgresJobStore } from "../../src/adapters/stores/postgres-job-store.js";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import type { JobStore } from "../../src/ports/job-store.js";
import { testServicesEnv } from "../../test/helpers/test-services-env.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const workerCounts = (process.env.BENCH_WORKERS ?? "1,4").split(",").map(Number);
const services = testServicesEnv();
const postgresUrl = services.MLOPS_TEST_POSTGRES_URL;
const gcsEndpoint = services.MLOPS_TEST_GCS_ENDPOINT;
const gcsBucket = services.MLOPS_TEST_GCS_BUCKET ?? "mlops-test";
const repo = { owner: "octo-org", name: "ml-repo", installationId: 2 };
const body = `@octocat\n\n> /help\n\n**mlops-bot commands**\n\n${"| `/train` | train at the head | write |\n".repeat(12)}`;

type Cycle = (index: number) => Promise<void>;
interface Subject {
  readonly name: string;
  /** Fresh storage: `open()` gives one more store instance on it. */
  storage(): { open(): JobStore; cleanup(): Promise<void> };
  readonly cycle: (store: JobStore, worker: string) => Cycle;
}

/** Claim, 👀, reply (the claim made final), both delivered: the outbox path of one `/help`. */
const answered = (store: JobStore, worker: string): Cycle => {
  const outbox = store.outbox!;
  return async (index) => {
    const comment = `${worker}-${index}`;
    const claim = await outbox.claimCommand(`comment:${comment}:0`, 600_000);
    if (!claim) throw new Error("a fresh command was claimed already");
    const eyes = await outbox.complete({ commands: [], messages: [{ key: `react:${comment}:eyes`, repo, action: { type: "react", commentId: index + 1, reaction: "eyes" } }], worker, leaseMs: 60_000 });
    const reply = await outbox.complete({ commands: [claim], messages: [{ key: `reply:${comment}`, repo, action: { type: "comment", issue: 1, body } }], worker, leaseMs: 60_000 });
    if (eyes.status !== "written" || reply.status !== "written") throw new Error("a fresh command's claim was lost");
    for (const m of [...eyes.messages, ...reply.messages]) await outbox.delivered(m.id, m.claim);
  };
};

/** The mark alone: what Cloud Storage did before its outbox. */
const marked = (store: JobStore, worker: string): Cycle => async (index) => {
  if (!(await store.markCommandSeen(`comment:${worker}-${index}:0`))) throw new Error("a fresh command was marked already");
};

const subjects: Subject[] = [
  {
    name: "SQLite, outbox",
    storage: () => {
      const dir = mkdtempSync(path.join(tmpdir(), "bench-outbox-"));
      return { open: () => new SqliteJobStore(path.join(dir, "jobs.sqlite")), cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
    },
    cycle: answered,
  },
];
if (postgresUrl) {
  subjects.push({
    name: "PostgreSQL, outbox",
    storage: () => {
      const schema = `bench_${randomUUID().slice(0, 8)}`;
      return { open: () => new PostgresJobStore({ url: postgresUrl, schema }), cleanup: () => dropSchema(schema) };
    },
    cycle: answered,
  });
} else console.error("bench:outbox: no PostgreSQL server (MLOPS_TEST_POSTGRES_URL): run scripts/start-test-services.sh; its row is left out");
if (gcsEndpoint) {
  const gcs = () => {
    const url = `gs://${gcsBucket}/bench-outbox-${randomUUID().slice(0, 8)}`;
    return { open: () => GcsJobStore.fromUrl(url, { apiEndpoint: gcsEndpoint }), cleanup: () => Promise.resolve() };
  };
  subjects.push({ name: "Cloud Storage, outbox", storage: gcs, cycle: answered }, { name: "Cloud Storage, mark only (before)", storage: gcs, cycle: marked });
} else console.error("bench:outbox: no Cloud Storage emulator (MLOPS_TEST_GCS_ENDPOINT): run scripts/start-test-services.sh; its rows are left out");

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

/** W workers cycling for `ms`; the latency of every cycle. */
async function drive(cycles: readonly Cycle[], ms: number, first: number): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + ms;
  await Promise.all(
    cycles.map(async (cycle, w) => {
      for (let i = first; performance.now() < until; i++) {
        const started = performance.now();
        await cycle(i * cycles.length + w);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function measure(subject: Subject, count: number): Promise<{ cycles: number; perSecond: number; p50: number; p99: number }> {
  const storage = subject.storage();
  const stores = Array.from({ length: count }, () => storage.open());
  try {
    const cycles = stores.map((store, w) => subject.cycle(store, `w${w}`));
    await drive(cycles, 1000, 0); // warm-up: clients, connections, migrations
    const latencies = (await drive(cycles, seconds * 1000, 1_000_000)).sort((a, b) => a - b);
    return { cycles: latencies.length, perSecond: latencies.length / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
  } finally {
    for (const store of stores) await store.close();
    await storage.cleanup();
  }
}

const results = new Map<string, Array<Awaited<ReturnType<typeof measure>>>>();
for (const count of workerCounts) {
  for (let round = 0; round < rounds; round++) {
    for (const subject of round % 2 === 0 ? subjects : [...subjects].reverse()) {
      const key = `${count}|${subject.name}`;
      results.set(key, [...(results.get(key) ?? []), await measure(subject, count)]);
      process.stderr.write(".");
    }
  }
}
process.stderr.write("\n");

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ratio = (a: number, b: number | undefined) => (b === undefined ? "" : `${(a / b).toFixed(2)}x`);
console.log(
  `\nA command's answer: claim + 👀 stored + reply stored (claim made final) + both marked delivered, per cycle; ${seconds} s per configuration after a 1 s warm-up, ${rounds} rounds (A-B-B-A), fresh storage each; all on this machine (${cpus().length} cores)\n`,
);
console.log("| Workers | Store | Cycles | Cycles/s | p50 (ms) | p99 (ms) | p50 vs SQLite | p50 vs mark only |");
console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const count of workerCounts) {
  const of = (name: string) => {
    const runs = results.get(`${count}|${name}`);
    return runs && { cycles: runs.reduce((a, r) => a + r.cycles, 0), perSecond: mean(runs.map((r) => r.perSecond)), p50: mean(runs.map((r) => r.p50)), p99: mean(runs.map((r) => r.p99)) };
  };
  const [sqlite, mark] = [of("SQLite, outbox")!, of("Cloud Storage, mark only (before)")];
  for (const subject of subjects) {
    const r = of(subject.name)!;
    const vsMark = subject.name.startsWith("Cloud Storage") ? ratio(r.p50, mark?.p50) : "";
    console.log(`| ${count} | ${subject.name} | ${r.cycles} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${ratio(r.p50, sqlite.p50)} | ${vsMark} |`);
  }
}
