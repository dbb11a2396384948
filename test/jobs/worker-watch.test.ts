import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FsArtifactStore } from "../../src/adapters/stores/fs-artifact-store.js";
import { PostgresJobStore } from "../../src/adapters/stores/postgres-job-store.js";
import type { JobExecutor } from "../../src/jobs/job-executor.js";
import { Worker } from "../../src/jobs/worker.js";
import type { CodeHost } from "../../src/ports/code-host.js";
import { newJob } from "../helpers/new-job.js";
import { postgresServer } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/train-nocks.js";

const postgres = postgresServer();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.runIf(postgres)("Worker on a store that notifies (PostgreSQL LISTEN/NOTIFY)", () => {
  it("starts a job another instance enqueued, and stops one another instance cancelled, without waiting for a poll", async () => {
    const schema = postgres!.schema("wake");
    const [mine, theirs] = [new PostgresJobStore({ url: postgres!.url, schema }), new PostgresJobStore({ url: postgres!.url, schema })];
    const ran: string[] = [];
    const executor: JobExecutor = {
      kind: "train",
      checkName: "test",
      run: (job, ctx) => {
        ran.push(job.key);
        if (job.key !== "long") return Promise.resolve({ state: "succeeded" });
        return new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve({ state: "cancelled", reason: "stopped" })));
      },
      report: () => Promise.resolve(),
    };
    // The poll is 10 minutes away: whatever happens below was woken by a notification.
    const worker = new Worker({
      store: mine,
      artifacts: new FsArtifactStore(tempDir()),
      executors: [executor],
      hostFor: () => Promise.resolve({} as CodeHost),
      concurrency: 1,
      log: pino({ level: "silent" }),
      pollMs: 600_000,
    });
    cleanups.push(async () => {
      await worker.stop();
      await mine.close();
      await theirs.close();
    });
    await worker.start();
    await mine.watching();

    await theirs.enqueue(newJob({ key: "quick" }));
    await waitFor(async () => (await theirs.list({ state: "succeeded" })).length === 1, 20_000);
    const { job } = await theirs.enqueue(newJob({ key: "long", group: "other" }));
    await waitFor(async () => (await theirs.get(job.id))?.state === "running", 20_000);
    await theirs.update(job.id, { cancelRequested: true, reason: "by @octocat" });
    await waitFor(async () => (await theirs.get(job.id))?.state === "cancelled", 20_000);
    expect(ran).toEqual(["quick", "long"]);
  });
});
