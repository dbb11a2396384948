import path from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { cancelGroup } from "../../src/jobs/cancel-group.js";
import { newJob } from "../helpers/new-job.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("cancelGroup", () => {
  it("supersedes only jobs older than the one kept, so two commands handled at once leave the newer", async () => {
    const store = new SqliteJobStore(path.join(tempDir(), "jobs.sqlite"));
    const older = await store.enqueue(newJob({ key: "comment:1:0" }));
    const newer = await store.enqueue(newJob({ key: "comment:2:0" }));
    // The older command's intake runs last (another instance, a slower API call): it stops nothing.
    expect(await cancelGroup({ store, group: newJob().group!, keep: older.job.id, reason: "superseded" })).toEqual({ queued: 0, running: 0 });
    expect(await cancelGroup({ store, group: newJob().group!, keep: newer.job.id, reason: "superseded" })).toEqual({ queued: 1, running: 0 });
    // Once superseded, the older job cancels nothing either.
    expect(await cancelGroup({ store, group: newJob().group!, keep: older.job.id, reason: "superseded" })).toEqual({ queued: 0, running: 0 });
    expect((await store.list({})).map((j) => [j.key, j.state])).toEqual([
      ["comment:1:0", "cancelled"],
      ["comment:2:0", "queued"],
    ]);
    await store.close();
  });

  it("stops every job of the group without a job to keep (/cancel), asking running ones' workers", async () => {
    const store = new SqliteJobStore(path.join(tempDir(), "jobs.sqlite"));
    await store.enqueue(newJob({ key: "a" }));
    await store.claimNext({ worker: "w", kinds: ["train"] });
    await store.enqueue(newJob({ key: "b" }));
    expect(await cancelGroup({ store, group: newJob().group!, reason: "Cancelled by @octocat." })).toEqual({ queued: 1, running: 1 });
    expect((await store.list({})).map((j) => [j.key, j.state, j.cancelRequested])).toEqual([
      ["a", "running", true],
      ["b", "cancelled", false],
    ]);
    await store.close();
  });
});
