import path from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import type { Job } from "../../src/core/jobs/job.js";
import type { JobExecutor, JobOutcome, JobRunContext } from "../../src/jobs/job-executor.js";
import { Worker } from "../../src/jobs/worker.js";
import { abortedOutcome } from "../../src/jobs/abort-reasons.js";
import type { CodeHost } from "../../src/ports/code-host.js";
import { newJob } from "../helpers/new-job.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/train-nocks.js";

/** GitHub cannot run here: a code host that records what the worker asks of it. */
function recordingHost(options: { failReports?: number; reportBug?: boolean } = {}) {
  const updates: Array<{ id: number; status?: string; conclusion?: string; title: string; summary?: string }> = [];
  const reactions: string[] = [];
  let failures = options.failReports ?? 0;
  const host = {
    owner: "octo-org",
    repo: "ml-repo",
    updateCheckRun: (id: number, p: { status?: string; conclusion?: string; output: { title: string; summary: string } }) => {
      updates.push({ id, status: p.status, conclusion: p.conclusion, title: p.output.title, summary: p.output.summary });
      return Promise.resolve();
    },
    react: (commentId: number, reaction: string) => Promise.resolve(void reactions.push(`${commentId}:${reaction}`)),
  } as unknown as CodeHost;
  const executor = (run: (job: Job, ctx: JobRunContext) => Promise<JobOutcome>): JobExecutor => ({
    kind: "train",
    checkName: "test",
    run,
    report: async (job, ctx) => {
      if (failures-- > 0) throw Object.assign(new Error("Bad Gateway"), { name: "HttpError", status: 502 }); // GitHub is down
      if (options.reportBug) throw new TypeError("Cannot read properties of undefined (reading 'rows')");
      await ctx.host.updateCheckRun(job.checkRunId ?? 0, { conclusion: job.state === "succeeded" ? "success" : "failure", output: { title: job.reason ?? job.state, summary: "" } });
    },
  });
  return { host, updates, reactions, executor };
}

function makeWorker(params: { executor: JobExecutor; host: CodeHost; concurrency?: number; progressEveryMs?: number; more?: JobExecutor[] }) {
  const dir = tempDir();
  const store = new SqliteJobStore(path.join(dir, "jobs.sqlite"));
  const worker = new Worker({
    store,
    artifacts: new FsArtifactStore(path.join(dir, "artifacts")),
    executors: [params.executor, ...(params.more ?? [])],
    hostFor: () => Promise.resolve(params.host),
    concurrency: params.concurrency ?? 1,
    log: pino({ level: "silent" }),
    pollMs: 20,
    progressEveryMs: params.progressEveryMs ?? 10_000,
  });
  return { store, worker, file: path.join(dir, "jobs.sqlite") };
}

describe("Worker", () => {
  it("never runs more jobs at once than its concurrency", async () => {
    const { host, executor } = recordingHost();
    let running = 0;
    let peak = 0;
    const { store, worker } = makeWorker({
      host,
      concurrency: 2,
      executor: executor(async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 50));
        running--;
        return { state: "succeeded" };
      }),
    });
    for (let i = 0; i < 6; i++) await store.enqueue(newJob({ key: `k${i}`, group: `g${i}` }));
    await worker.start();
    await worker.idle();
    expect(peak).toBe(2);
    expect((await store.list({ state: "succeeded", reported: true })).length).toBe(6);
    await worker.stop();
  });

  it("runs a data check beside a long training job instead of queueing it behind", async () => {
    const { host, executor } = recordingHost();
    let releaseTraining: () => void = () => {};
    const training = executor(() => new Promise((resolve) => (releaseTraining = () => resolve({ state: "succeeded" }))));
    let diffRan = false;
    const diff: JobExecutor = { ...executor(() => Promise.resolve({ state: "succeeded" })), kind: "diff", run: () => ((diffRan = true), Promise.resolve({ state: "succeeded" })) };
    const { store, worker } = makeWorker({ host, concurrency: 1, executor: training, more: [diff] });
    const { job: train } = await store.enqueue(newJob({ key: "t" }));
    await worker.start();
    await waitFor(async () => (await store.get(train.id))?.state === "running");
    const { job: check } = await store.enqueue(newJob({ key: "d", kind: "diff", group: "d" }));
    await worker.wake();
    await waitFor(async () => (await store.get(check.id))?.state === "succeeded");
    expect(diffRan).toBe(true);
    expect((await store.get(train.id))?.state).toBe("running");
    releaseTraining();
    await worker.idle();
    await worker.stop();
  });

  it("sends the first progress at once, then at most one update per interval, the latest winning", async () => {
    const { host, updates, executor } = recordingHost();
    let elapsed = 0;
    const { store, worker } = makeWorker({
      host,
      progressEveryMs: 300,
      executor: executor(async (_job, ctx) => {
        const started = Date.now();
        for (let i = 1; i <= 40; i++) {
          ctx.progress({ title: `step ${i}`, summary: "" });
          await new Promise((r) => setTimeout(r, 20));
        }
        elapsed = Date.now() - started;
        return { state: "succeeded" };
      }),
    });
    const { job } = await store.enqueue(newJob());
    await store.update(job.id, { checkRunId: 7 });
    await worker.start();
    await worker.idle();
    const progress = updates.filter((u) => u.status === "in_progress");
    expect(progress[0]?.title).toBe("step 1");
    expect(progress.length).toBeGreaterThanOrEqual(2);
    // 40 calls: the throttle lets through the first, then at most one per 300 ms of the run.
    expect(progress.length).toBeLessThanOrEqual(1 + Math.ceil(elapsed / 300));
    expect(progress.length).toBeLessThan(40);
    expect(updates.at(-1)).toMatchObject({ conclusion: "success" });
    await worker.stop();
  });

  it("keeps retrying a report until GitHub takes it, and then marks the job reported", async () => {
    const { host, updates, executor } = recordingHost({ failReports: 3 });
    const { store, worker } = makeWorker({ host, executor: executor(() => Promise.resolve({ state: "succeeded" })) });
    const { job } = await store.enqueue(newJob());
    await worker.start();
    await waitFor(async () => (await store.get(job.id))?.reported === true, 5000);
    expect(updates.filter((u) => u.conclusion === "success")).toHaveLength(1);
    await worker.stop();
  });

  it("ends reported when the report cannot be made (a bug, not an outage): the check run says so, once", async () => {
    const { host, updates, executor } = recordingHost({ reportBug: true });
    const { store, worker } = makeWorker({ host, executor: executor(() => Promise.resolve({ state: "succeeded" })) });
    const { job } = await store.enqueue(newJob());
    await store.update(job.id, { checkRunId: 77 });
    await worker.start();
    await waitFor(async () => (await store.get(job.id))?.reported === true, 5000);
    await worker.idle();
    expect(updates).toEqual([
      {
        id: 77,
        status: undefined,
        conclusion: "neutral",
        title: "Ended (succeeded); its report could not be made",
        summary: "The report of this job failed on the bot's side (TypeError); nothing was lost. Run the job again for a full report.",
      },
    ]);
    await worker.stop();
  });

  it("turns an executor's exception into a failed job that says it failed on the bot's side, without the bug's message", async () => {
    const { host, updates, executor } = recordingHost();
    const { store, worker } = makeWorker({ host, executor: executor(() => Promise.reject(new Error("ENOSPC writing /srv/mlops-bot/secrets/key.json"))) });
    const { job } = await store.enqueue(newJob());
    await worker.start();
    await worker.idle();
    expect(await store.get(job.id)).toMatchObject({
      state: "failed",
      reason: "The job failed on the bot's side (Error); nothing was lost. Run it again, and tell the bot's operator if it keeps failing.",
      reported: true,
    });
    expect(JSON.stringify(updates)).not.toContain("/srv/mlops-bot");
    expect(updates.at(-1)?.conclusion).toBe("failure");
    await worker.stop();
  });

  it("on stop, aborts running jobs and reports them as failed with the shutdown reason", async () => {
    const { host, executor } = recordingHost();
    const { store, worker } = makeWorker({
      host,
      executor: executor(
        (_job, ctx) =>
          new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve(abortedOutcome(ctx.signal)))),
      ),
    });
    const { job } = await store.enqueue(newJob());
    await worker.start();
    await waitFor(async () => (await store.get(job.id))?.state === "running");
    await worker.stop();
    expect(await store.get(job.id)).toMatchObject({ state: "failed", reason: "The bot was shut down while this job was running; run it again (Train again, /diff or /build) to get a result.", reported: true });
  });

  it("never runs a job whose stored input is damaged: fails it with the problem and reports it once", async () => {
    const { host, updates, reactions, executor } = recordingHost();
    let runs = 0;
    const { store, worker, file } = makeWorker({ host, executor: executor(() => {
        runs++;
        return Promise.resolve({ state: "succeeded" });
      }),
    });
    const { job } = await store.enqueue(newJob());
    await store.update(job.id, { checkRunId: 7 });
    const db = new Database(file);
    db.prepare("UPDATE jobs SET input = ? WHERE id = ?").run(JSON.stringify({ overrides: [{ key: "train.lr", value: "0.1" }] }), job.id);
    db.close();
    await worker.start();
    await worker.idle();
    expect(runs).toBe(0);
    const ended = await store.get(job.id);
    expect(ended).toMatchObject({ state: "failed", reported: true, damage: "input" });
    expect(ended?.reason).toMatch(/^The job's stored record is damaged, so it was not run: .*jobs\.sqlite \(job [^)]+\): the stored job does not match its schema: .* \(at `input\.overrides\.0\.file`\)/);
    expect(updates).toEqual([{ id: 7, conclusion: "failure", title: "The job's stored record is damaged", summary: ended?.reason }]);
    expect(reactions).toEqual(["1:confused"]);
    await worker.stop();
  });
});
