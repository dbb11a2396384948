import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { GcsJobStore } from "../../src/adapters/stores/gcs-job-store.js";
import { PostgresJobStore } from "../../src/adapters/stores/postgres-job-store.js";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import type { Job } from "../../src/core/jobs/job.js";
import type { JobExecutor, JobOutcome, JobRunContext } from "../../src/jobs/job-executor.js";
import { Worker } from "../../src/jobs/worker.js";
import { ShutdownReason } from "../../src/jobs/abort-reasons.js";
import type { CodeHost } from "../../src/ports/code-host.js";
import type { JobStore } from "../../src/ports/job-store.js";
import { gcsEmulator } from "../helpers/gcs-emulator.js";
import { newJob } from "../helpers/new-job.js";
import { postgresServer } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/train-nocks.js";

const host = { owner: "octo-org", repo: "ml-repo" } as unknown as CodeHost;
const stops: Array<() => Promise<void>> = [];
const closes: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const close of closes.splice(0)) await close();
});

/** An executor that runs `run` and records the reports the worker makes. */
function executor(run: (job: Job, ctx: JobRunContext) => Promise<JobOutcome>) {
  const reports: Array<{ id: string; state: string; reason: string | null }> = [];
  const ran: string[] = [];
  const value: JobExecutor = {
    kind: "train",
    checkName: "test",
    run: (job, ctx) => {
      ran.push(job.id);
      return run(job, ctx);
    },
    report: (job) => {
      reports.push({ id: job.id, state: job.state, reason: job.reason });
      return Promise.resolve();
    },
  };
  return { value, reports, ran };
}

function startWorker(store: JobStore, exec: JobExecutor, leaseMs: number, options: { pollMs?: number; log?: pino.Logger } = {}): Worker {
  const worker = new Worker({
    store,
    artifacts: new FsArtifactStore(tempDir()),
    executors: [exec],
    hostFor: () => Promise.resolve(host),
    concurrency: 1,
    log: options.log ?? pino({ level: "silent" }),
    pollMs: options.pollMs ?? 25,
    leaseMs,
  });
  stops.push(() => worker.stop());
  return worker;
}

const gcs = gcsEmulator();
const postgres = postgresServer();
/** Opens instances of one storage (as several processes would), on the real clock or the one given. */
type OpenStore = (now?: () => number) => JobStore;
const backends: Array<[string, (() => OpenStore) | undefined]> = [
  [
    "SQLite",
    () => {
      const file = path.join(tempDir(), "jobs.sqlite");
      return (now) => new SqliteJobStore(file, now ? { now } : {});
    },
  ],
  [
    "GCS (fake-gcs-server)",
    gcs &&
      (() => {
        const url = gcs.url("leases");
        return (now) => GcsJobStore.fromUrl(url, { apiEndpoint: gcs.endpoint, ...(now ? { now } : {}) });
      }),
  ],
  [
    "PostgreSQL",
    postgres &&
      (() => {
        const schema = postgres.schema("leases");
        return (now) => {
          const store = new PostgresJobStore({ url: postgres.url, schema, ...(now ? { now } : {}) });
          closes.push(() => store.close());
          return store;
        };
      }),
  ],
];

describe.each(backends)("Worker leases on the %s store", (_name, storage) => {
  it.runIf(storage)("recovers a job whose worker stopped renewing its lease, and reports it failed with the reason", async () => {
    const open = storage!();
    const [a, b] = [open(), open()];
    const { job } = await a.enqueue(newJob());
    // A worker on another host claims it, then dies: nobody renews its lease.
    await a.claimNext({ worker: "other-host:1:dead", kinds: ["train"], leaseMs: 300 });
    const exec = executor(() => Promise.resolve({ state: "succeeded" }));
    await startWorker(b, exec.value, 300).start();
    await waitFor(async () => (await b.get(job.id))?.reported === true, 10_000);
    expect(await b.get(job.id)).toMatchObject({ state: "failed", reported: true });
    expect(exec.reports).toEqual([{ id: job.id, state: "failed", reason: expect.stringMatching(/^The bot instance running this job stopped renewing its claim/) }]);
    expect(exec.ran).toEqual([]);
  });

  it.runIf(storage)("follows a job whose worker died when its work runs elsewhere (a Cloud Run execution)", async () => {
    const open = storage!();
    const [a, b] = [open(), open()];
    const { job } = await a.enqueue(newJob());
    await a.claimNext({ worker: "other-host:1:dead", kinds: ["train"], leaseMs: 300 });
    const follower = executor(() => Promise.resolve({ state: "succeeded", reason: "followed to the end" }));
    const resumable: JobExecutor = { ...follower.value, canResume: (j) => Promise.resolve(j.id === job.id) };
    const worker = startWorker(b, resumable, 300);
    await worker.start();
    await waitFor(async () => (await b.get(job.id))?.reported === true, 10_000);
    expect(follower.ran).toEqual([job.id]);
    expect(await b.get(job.id)).toMatchObject({ state: "succeeded", reason: "followed to the end", worker: worker.id });
  });

  it.runIf(storage)("never takes a job from a live worker that renews its lease", async () => {
    const open = storage!();
    const [a, b] = [open(), open()];
    const { job } = await a.enqueue(newJob());
    // The job outlives its lease five times over; only renewals keep it.
    const runner = executor(async () => {
      await new Promise((r) => setTimeout(r, 1500));
      return { state: "succeeded", reason: "done" };
    });
    const workerA = startWorker(a, runner.value, 300);
    await workerA.start();
    await waitFor(async () => (await a.get(job.id))?.state === "running", 5000);
    const watcher = executor(() => Promise.resolve({ state: "succeeded" }));
    await startWorker(b, watcher.value, 300).start();
    await waitFor(async () => (await a.get(job.id))?.reported === true, 10_000);
    expect(await b.get(job.id)).toMatchObject({ state: "succeeded", reason: "done", worker: workerA.id });
    expect(runner.ran).toEqual([job.id]);
    expect(watcher.ran).toEqual([]);
    expect([...runner.reports, ...watcher.reports]).toEqual([{ id: job.id, state: "succeeded", reason: "done" }]);
  });

  it.runIf(storage)("reports each end once when two workers see it at the same time", async () => {
    const open = storage!();
    const [a, b] = [open(), open()];
    // Ten jobs ended while queued (superseded by an intake): no worker ran them, both see them.
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { job } = await a.enqueue(newJob({ key: `k${i}`, group: `g${i}` }));
      await a.transition(job.id, "queued", "cancelled", { reason: "superseded" });
      ids.push(job.id);
    }
    const [x, y] = [executor(() => Promise.resolve({ state: "succeeded" })), executor(() => Promise.resolve({ state: "succeeded" }))];
    await Promise.all([startWorker(a, x.value, 5000).start(), startWorker(b, y.value, 5000).start()]);
    await waitFor(async () => (await a.list({ reported: false })).length === 0, 10_000);
    expect([...x.reports, ...y.reports].map((r) => r.id).sort()).toEqual([...ids].sort());
  });

  it.runIf(storage)("stops a job whose lease it lost, and keeps the other worker's ending", async () => {
    const open = storage!();
    const [a, b] = [open(), open()];
    const { job } = await a.enqueue(newJob());
    let aborted: unknown;
    const runner = executor(
      (_job, ctx) =>
        new Promise((resolve) =>
          ctx.signal.addEventListener("abort", () => {
            aborted = ctx.signal.reason;
            resolve({ state: "succeeded" });
          }),
        ),
    );
    await startWorker(a, runner.value, 300).start();
    await waitFor(async () => (await a.get(job.id))?.state === "running", 5000);
    // Another instance ended it (as if the lease had lapsed while this one was stalled).
    await b.transition(job.id, "running", "failed", { reason: "recovered elsewhere" });
    await waitFor(() => aborted !== undefined, 5000);
    expect(aborted).toBeInstanceOf(ShutdownReason);
    await waitFor(async () => (await a.get(job.id))?.reported === true, 5000);
    expect(await a.get(job.id)).toMatchObject({ state: "failed", reason: "recovered elsewhere" });
  });

  it.runIf(storage)("writes nothing when a paused worker ends a job another worker took over: logs it once, and the new holder's end is reported", async () => {
    let t = 1_800_000_000_000;
    const now = () => t;
    const open = storage!();
    const [a, b] = [open(now), open(now)];
    const { job } = await a.enqueue(newJob());
    let takenClaim: string | null | undefined;
    // The run "pauses" past its lease (the store's clock moves on, no renewal comes: its timer is
    // a third of a minute away); meanwhile another instance takes the job over. Then it succeeds.
    const runner = executor(async () => {
      t += 60_001;
      takenClaim = (await b.claimExpired!({ worker: "b", leaseMs: 60_000 }))[0]?.claim;
      return { state: "succeeded", reason: "stale success" };
    });
    const lines: Array<{ msg: string; level: number; job?: string }> = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
    const worker = startWorker(a, runner.value, 60_000, { pollMs: 600_000, log });
    await worker.start();
    await waitFor(() => runner.ran.length === 1 && lines.some((l) => l.msg.startsWith("lost the job's claim")), 10_000);

    expect(takenClaim).toEqual(expect.any(String));
    expect(await b.get(job.id)).toMatchObject({ state: "running", worker: "b", claim: takenClaim, reason: null });
    expect(lines.filter((l) => l.msg.startsWith("lost the job's claim")).map((l) => [l.level, l.job])).toEqual([[40, job.id]]);
    expect(runner.reports).toEqual([]); // nothing to report: the job is not its to end
    // The holder ends it; that end stands and is what gets reported.
    expect((await b.finish({ id: job.id, claim: takenClaim!, to: "failed", reason: "taken over" })).status).toBe("written");
    await worker.wake();
    expect(await a.get(job.id)).toMatchObject({ state: "failed", reason: "taken over", result: null, reported: true });
    expect(runner.reports).toEqual([{ id: job.id, state: "failed", reason: "taken over" }]);
  });
});
