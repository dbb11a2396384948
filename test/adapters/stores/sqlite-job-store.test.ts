import path from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../../src/adapters/stores/sqlite-job-store.js";
import { StorageError } from "../../../src/core/errors.js";
import { newJob } from "../../helpers/new-job.js";
import { tempDir } from "../../helpers/temp-dir.js";

function openStore(file = path.join(tempDir(), "jobs.sqlite")) {
  return { store: new SqliteJobStore(file), file };
}

describe("SqliteJobStore", () => {
  it("enqueues once per idempotency key", async () => {
    const { store } = openStore();
    const first = await store.enqueue(newJob({ key: "comment:7:0" }));
    const again = await store.enqueue(newJob({ key: "comment:7:0", headSha: "another" }));
    const other = await store.enqueue(newJob({ key: "comment:7:1" }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ job: first.job, created: false });
    expect(other.created).toBe(true);
    expect(await store.list({})).toHaveLength(2);
    await store.close();
  });

  it("round-trips every field", async () => {
    const { store } = openStore();
    const { job } = await store.enqueue(newJob({ input: { overrides: [{ key: "train.seed", value: "3" }] } }));
    expect(job).toMatchObject({
      ...newJob({ input: { overrides: [{ key: "train.seed", value: "3" }] } }),
      state: "queued",
      checkRunId: null,
      reason: null,
      result: null,
      cancelRequested: false,
      reported: false,
    });
    expect(await store.get(job.id)).toEqual(job);
    await store.close();
  });

  it("lets exactly one of two processes' stores claim a job", async () => {
    const { store: a, file } = openStore();
    const b = new SqliteJobStore(file);
    await a.enqueue(newJob());
    const claims = await Promise.all([a.claimNext({ worker: "a", kinds: ["train"] }), b.claimNext({ worker: "b", kinds: ["train"] })]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(claims.find(Boolean)).toMatchObject({ state: "running" });
    await a.close();
    await b.close();
  });

  it("claims the oldest queued job of the asked kinds", async () => {
    const { store } = openStore();
    await store.enqueue(newJob({ key: "a", kind: "build" }));
    const t1 = await store.enqueue(newJob({ key: "b" }));
    await store.enqueue(newJob({ key: "c" }));
    expect((await store.claimNext({ worker: "w", kinds: ["train"] }))?.id).toBe(t1.job.id);
    expect(await store.claimNext({ worker: "w", kinds: [] })).toBeUndefined();
    await store.close();
  });

  it("enforces the allowed transitions and compare-and-swap on the current state", async () => {
    const { store } = openStore();
    const { job } = await store.enqueue(newJob());
    await expect(store.transition(job.id, "queued", "succeeded")).rejects.toBeInstanceOf(StorageError);
    expect(await store.transition(job.id, "running", "failed")).toBeUndefined();
    const running = await store.transition(job.id, "queued", "running");
    expect(running?.startedAt).toEqual(expect.any(Number));
    const done = await store.transition(job.id, "running", "succeeded", { result: { accuracy: 0.9 }, reason: "ok" });
    expect(done).toMatchObject({ state: "succeeded", result: { accuracy: 0.9 }, reason: "ok" });
    expect(done?.finishedAt).toEqual(expect.any(Number));
    await expect(store.transition(job.id, "succeeded", "running")).rejects.toThrow(/cannot go from succeeded to running/);
    await store.close();
  });

  it("filters by state, group, repo and reported", async () => {
    const { store } = openStore();
    const a = await store.enqueue(newJob({ key: "a", group: "g1" }));
    await store.enqueue(newJob({ key: "b", group: "g2" }));
    await store.transition(a.job.id, "queued", "cancelled", { reason: "superseded" });
    expect((await store.list({ state: ["queued"] })).map((j) => j.key)).toEqual(["b"]);
    expect((await store.list({ group: "g1" })).map((j) => j.key)).toEqual(["a"]);
    expect((await store.list({ state: "cancelled", reported: false })).map((j) => j.key)).toEqual(["a"]);
    expect(await store.list({ repo: { owner: "someone", name: "else" } })).toEqual([]);
    await store.update(a.job.id, { reported: true, checkRunId: 42 });
    expect(await store.list({ reported: false })).toHaveLength(1);
    expect((await store.get(a.job.id))?.checkRunId).toBe(42);
    await store.close();
  });

  it("remembers handled commands and facts across reopen", async () => {
    const { store, file } = openStore();
    expect(await store.markCommandSeen("comment:9:0")).toBe(true);
    expect(await store.markCommandSeen("comment:9:0")).toBe(false);
    await store.setFact("sticky:o/r#1:train", "123");
    await store.close();
    const reopened = new SqliteJobStore(file);
    expect(await reopened.markCommandSeen("comment:9:0")).toBe(false);
    await reopened.forgetCommand("comment:9:0");
    expect(await reopened.markCommandSeen("comment:9:0")).toBe(true);
    expect(await reopened.getFact("sticky:o/r#1:train")).toBe("123");
    expect(await reopened.getFact("missing")).toBeUndefined();
    await reopened.close();
  });

  it("explains where it failed when the file cannot be opened", () => {
    const dir = tempDir();
    expect(() => new SqliteJobStore(dir)).toThrow(StorageError);
    expect(() => new SqliteJobStore(dir)).toThrow(`cannot open the job store at ${dir}`);
  });
});
