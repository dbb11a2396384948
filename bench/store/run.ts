/**
 * npm run bench:store — the job queue's hot path, enqueue + claim + complete, on each job store:
 * SQLite (the embedded default: one file, WAL), PostgreSQL (the test services' server) and Cloud
 * Storage (fake-gcs-server), with 1, 4 and 16 workers at once. Each worker is an async loop with
 * its own store instance (its own SQLite handle, connection pool or Storage client), as each bot
 * instance has: enqueue a job, claim the oldest queued one (a 60 s lease), move it to succeeded
 * and mark it reported (the two writes a worker makes when a job ends). A cycle's latency runs
 * from the enqueue to the last write.
 *
 * Also measured: PostgreSQL with `synchronous_commit=off` (a commit does not wait for the WAL
 * flush: the durability SQLite's `synchronous=NORMAL` has, which loses nothing when a process
 * dies but may lose the last commits when the machine does), and the protocol floor of the
 * PostgreSQL store: three `SELECT 1` round trips per cycle on one connection, what any three
 * statements cost before they do anything.
 *
 * Each configuration runs BENCH_SECONDS (default 5) after a 1 s warm-up, on fresh storage, in
 * BENCH_ROUNDS (default 2) rounds whose store order alternates (A-B-B-A); the table shows the
 * means and the ratio against SQLite with the same number of workers.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import pg from "pg";
import { GcsJobStore } from "../../src/adapters/stores/gcs-job-store.js";
import { PostgresJobStore } from "../../src/adapters/stores/postgres-job-store.js";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { repoConfigSchema } from "../../src/config/repo-config-schema.js";
import type { NewJob } from "../../src/core/jobs/job.js";
import { trainInput } from "../../src/core/jobs/train-job.js";
import type { TrainingResult } from "../../src/core/train/training-result.js";
import type { JobStore } from "../../src/ports/job-store.js";
import { testServicesEnv } from "../../test/helpers/test-services-env.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const workerCounts = (process.env.BENCH_WORKERS ?? "1,4,16").split(",").map(Number);
const services = testServicesEnv();
const postgresUrl = services.MLOPS_TEST_POSTGRES_URL;
const gcsEndpoint = services.MLOPS_TEST_GCS_ENDPOINT;
const gcsBucket = services.MLOPS_TEST_GCS_BUCKET ?? "mlops-test";

/** A worker's one cycle, and how to let go of what it opened. */
interface Worker {
  cycle(index: number): Promise<void>;
  close(): Promise<void>;
}

/** A store under test: `storage()` makes fresh storage, whose `worker()` opens one more instance on it. */
interface Subject {
  readonly name: string;
  storage(): { worker(id: string): Worker; cleanup(): Promise<void> };
}

function job(key: string): NewJob {
  return {
    kind: "train",
    key,
    group: null,
    repo: { owner: "octo-org", name: "ml-repo", installationId: 2 },
    pr: 1,
    headSha: "c0ffee0000000000000000000000000000000001",
    headRef: "feature",
    baseRef: "main",
    baseSha: "ba5e000000000000000000000000000000000001",
    requestedBy: "octocat",
    commentId: 1,
    input: trainInput({ overrides: [{ file: "ml/params.yaml", key: "train.lr", path: ["train", "lr"], type: "float", value: 0.1, literal: "0.1" }], config: repoConfigSchema.parse({}) }),
  };
}

/** What a successful training run of the example stores (the size of a real result). */
const trainingResult: TrainingResult = {
  outcome: "succeeded",
  durationMs: 12_000,
  headSha: "c0ffee0000000000000000000000000000000001",
  overrides: [{ file: "ml/params.yaml", key: "train.lr", path: ["train", "lr"], type: "float", value: 0.1, literal: "0.1" }],
  head: { metrics: { "ml/metrics.json": '{"accuracy": 0.9, "f1": 0.88}' }, params: { "ml/params.yaml": "train:\n  lr: 0.1\n  seed: 3\n" } },
  base: { source: "commit", ref: "main", sha: "ba5e000000000000000000000000000000000001", metrics: { "ml/metrics.json": '{"accuracy": 0.89, "f1": 0.87}' }, params: { "ml/params.yaml": "train:\n  lr: 0.05\n  seed: 3\n" } },
  artifacts: ["jobs/x/log.txt", "jobs/x/results/ml/metrics.json"],
  logKey: "jobs/x/log.txt",
  logTail: ["Running stage 'evaluate':", "accuracy 0.9"],
};

/** enqueue + claim + complete on one store instance. */
function storeWorker(store: JobStore, id: string): Worker {
  return {
    async cycle(index) {
      await store.enqueue(job(`${id}:${index}`));
      const claimed = await store.claimNext({ worker: id, kinds: ["train"], leaseMs: 60_000 });
      if (!claimed) return; // another worker took every queued job: this cycle enqueued only
      await store.transition(claimed.id, "running", "succeeded", { result: trainingResult });
      await store.update(claimed.id, { reported: true });
    },
    close: () => store.close(),
  };
}

const subjects: Subject[] = [
  {
    name: "SQLite",
    storage: () => {
      const dir = mkdtempSync(path.join(tmpdir(), "bench-store-"));
      return { worker: (id) => storeWorker(new SqliteJobStore(path.join(dir, "jobs.sqlite")), id), cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
    },
  },
];
/** Drops a schema the bench made, so the test database does not fill up with bench jobs. */
async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

if (postgresUrl) {
  const withOptions = (options: string) => {
    const url = new URL(postgresUrl);
    url.searchParams.set("options", options);
    return url.toString();
  };
  subjects.push(
    {
      name: "PostgreSQL",
      storage: () => {
        const schema = `bench_${randomUUID().slice(0, 8)}`;
        return { worker: (id) => storeWorker(new PostgresJobStore({ url: postgresUrl, schema }), id), cleanup: () => dropSchema(schema) };
      },
    },
    {
      name: "PostgreSQL, synchronous_commit=off",
      storage: () => {
        const schema = `bench_${randomUUID().slice(0, 8)}`;
        const url = withOptions("-c synchronous_commit=off");
        return { worker: (id) => storeWorker(new PostgresJobStore({ url, schema }), id), cleanup: () => dropSchema(schema) };
      },
    },
    {
      name: "PostgreSQL floor: 3 × SELECT 1",
      storage: () => ({
        worker: () => {
          const client = new pg.Client({ connectionString: postgresUrl });
          const connected = client.connect();
          return {
            async cycle() {
              await connected;
              for (let i = 0; i < 3; i++) await client.query("SELECT 1");
            },
            close: () => client.end(),
          };
        },
        cleanup: () => Promise.resolve(),
      }),
    },
  );
} else console.error("bench:store: no PostgreSQL server (MLOPS_TEST_POSTGRES_URL): run scripts/start-test-services.sh; its rows are left out");
if (gcsEndpoint) {
  subjects.push({
    name: "Cloud Storage (fake-gcs-server)",
    storage: () => {
      const url = `gs://${gcsBucket}/bench-${randomUUID().slice(0, 8)}`;
      return { worker: (id) => storeWorker(GcsJobStore.fromUrl(url, { apiEndpoint: gcsEndpoint }), id), cleanup: () => Promise.resolve() };
    },
  });
} else console.error("bench:store: no Cloud Storage emulator (MLOPS_TEST_GCS_ENDPOINT): run scripts/start-test-services.sh; its rows are left out");

/** W workers cycling for `ms`; the latency of every cycle that ended in time. */
async function drive(workers: readonly Worker[], ms: number, first: number): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + ms;
  await Promise.all(
    workers.map(async (worker, w) => {
      for (let i = first; performance.now() < until; i++) {
        const started = performance.now();
        await worker.cycle(i * workers.length + w);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function measure(subject: Subject, count: number): Promise<{ jobs: number; perSecond: number; p50: number; p99: number }> {
  const storage = subject.storage();
  const workers = Array.from({ length: count }, (_, w) => storage.worker(`bench-${w}`));
  try {
    await drive(workers, 1000, 0); // warm-up: connections, migrations, caches
    const latencies = (await drive(workers, seconds * 1000, 1_000_000)).sort((a, b) => a - b);
    return { jobs: latencies.length, perSecond: latencies.length / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
  } finally {
    for (const worker of workers) await worker.close();
    await storage.cleanup();
  }
}

const results = new Map<string, Array<Awaited<ReturnType<typeof measure>>>>();
for (const count of workerCounts) {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) {
      const key = `${count}|${subject.name}`;
      results.set(key, [...(results.get(key) ?? []), await measure(subject, count)]);
      process.stderr.write(".");
    }
  }
}
process.stderr.write("\n");

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `\nJob store hot path: enqueue + claim (60 s lease) + complete (succeeded, then reported) per cycle; ${seconds} s per configuration after a 1 s warm-up, ${rounds} rounds (A-B-B-A), fresh storage each; all on this machine (${cpus().length} cores)\n`,
);
console.log("| Workers | Store | Cycles | Cycles/s | p50 (ms) | p99 (ms) | Cycles/s vs SQLite | p99 vs SQLite |");
console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const count of workerCounts) {
  const of = (name: string) => {
    const runs = results.get(`${count}|${name}`)!;
    return { jobs: runs.reduce((a, r) => a + r.jobs, 0), perSecond: mean(runs.map((r) => r.perSecond)), p50: mean(runs.map((r) => r.p50)), p99: mean(runs.map((r) => r.p99)) };
  };
  const base = of("SQLite");
  for (const subject of subjects) {
    const r = of(subject.name);
    console.log(
      `| ${count} | ${subject.name} | ${r.jobs} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.perSecond / base.perSecond).toFixed(2)}x | ${(r.p99 / base.p99).toFixed(2)}x |`,
    );
  }
}
