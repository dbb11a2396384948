import { expect, it } from "vitest";
import { StorageError } from "../../../src/core/errors.js";
import type { JobStore } from "../../../src/ports/job-store.js";
import { newJob, newTrainInput, newTrainingResult } from "../../helpers/new-job.js";

/** One store's storage (a file, a bucket prefix); `open` gives another instance on it, as a second process would. */
export interface JobStoreFixture {
  open(options?: { now?: () => number }): JobStore;
}

/** A clock the test moves by hand. */
function manualClock(start = 1_800_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/**
 * What every `JobStore` must do, run against each adapter: idempotent enqueue, exactly-once
 * claims, compare-and-swap transitions, filters, commands and facts, and leases. `fresh` gives
 * new, empty storage each time it is called.
 */
export function jobStoreContract(fresh: () => JobStoreFixture): void {
  it("enqueues once per idempotency key", async () => {
    const store = fresh().open();
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
    const store = fresh().open();
    const input = newTrainInput([{ file: "ml/params.yaml", key: "train.seed", path: ["train", "seed"], type: "int", value: 3, literal: "3" }]);
    const { job } = await store.enqueue(newJob({ input }));
    expect(job).toMatchObject({
      ...newJob({ input }),
      state: "queued",
      checkRunId: null,
      reason: null,
      result: null,
      cancelRequested: false,
      reported: false,
      worker: null,
      startedAt: null,
      finishedAt: null,
    });
    expect(job.createdAt).toEqual(expect.any(Number));
    expect(await store.get(job.id)).toEqual(job);
    expect(await store.get("no-such-job")).toBeUndefined();
    await store.close();
  });

  it("creates one job when two instances enqueue the same key at once (a redelivered webhook)", async () => {
    const storage = fresh();
    const [a, b] = [storage.open(), storage.open()];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).enqueue(newJob({ key: "comment:42:0" }))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    expect(await a.list({})).toHaveLength(1);
    await a.close();
    await b.close();
  });

  it("lets exactly one of two instances claim a job", async () => {
    const storage = fresh();
    const [a, b] = [storage.open(), storage.open()];
    await a.enqueue(newJob());
    const claims = await Promise.all([a.claimNext({ worker: "a", kinds: ["train"] }), b.claimNext({ worker: "b", kinds: ["train"] })]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(claims.find(Boolean)).toMatchObject({ state: "running", worker: claims[0] ? "a" : "b" });
    await a.close();
    await b.close();
  });

  it("hands each of many jobs to exactly one of several racing claimers", async () => {
    const storage = fresh();
    const stores = [storage.open(), storage.open(), storage.open()];
    for (let i = 0; i < 12; i++) await stores[0]!.enqueue(newJob({ key: `k${i}`, group: `g${i}` }));
    const claimed = await Promise.all(
      stores.map(async (store, s) => {
        const mine: string[] = [];
        for (let job = await store.claimNext({ worker: `w${s}`, kinds: ["train"] }); job; job = await store.claimNext({ worker: `w${s}`, kinds: ["train"] })) mine.push(job.key);
        return mine;
      }),
    );
    const all = claimed.flat();
    expect(all.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `k${i}`).sort());
    expect(await stores[0]!.list({ state: "queued" })).toEqual([]);
    for (const store of stores) await store.close();
  });

  it("claims the oldest queued job of the asked kinds", async () => {
    const store = fresh().open();
    await store.enqueue(newJob({ key: "a", kind: "build" }));
    const t1 = await store.enqueue(newJob({ key: "b" }));
    await store.enqueue(newJob({ key: "c" }));
    expect((await store.claimNext({ worker: "w", kinds: ["train"] }))?.id).toBe(t1.job.id);
    expect(await store.claimNext({ worker: "w", kinds: [] })).toBeUndefined();
    expect((await store.claimNext({ worker: "w", kinds: ["build", "train"] }))?.key).toBe("a");
    await store.close();
  });

  it("enforces the allowed transitions and compare-and-swap on the current state", async () => {
    const store = fresh().open();
    const { job } = await store.enqueue(newJob());
    await expect(store.transition(job.id, "queued", "succeeded")).rejects.toBeInstanceOf(StorageError);
    expect(await store.transition(job.id, "running", "failed")).toBeUndefined();
    const running = await store.transition(job.id, "queued", "running");
    expect(running?.startedAt).toEqual(expect.any(Number));
    const done = await store.transition(job.id, "running", "succeeded", { result: newTrainingResult({ accuracy: 0.9 }), reason: "ok" });
    expect(done).toMatchObject({ state: "succeeded", result: newTrainingResult({ accuracy: 0.9 }), reason: "ok" });
    expect(done?.finishedAt).toEqual(expect.any(Number));
    await expect(store.transition(job.id, "succeeded", "running")).rejects.toThrow(/cannot go from succeeded to running/);
    expect(await store.transition("no-such-job", "queued", "running")).toBeUndefined();
    await store.close();
  });

  it("moves a job once when two instances race the same transition", async () => {
    const storage = fresh();
    const [a, b] = [storage.open(), storage.open()];
    const { job } = await a.enqueue(newJob());
    const moves = await Promise.all([
      a.transition(job.id, "queued", "cancelled", { reason: "superseded" }),
      b.transition(job.id, "queued", "running"),
      a.transition(job.id, "queued", "running"),
      b.transition(job.id, "queued", "cancelled", { reason: "by b" }),
    ]);
    expect(moves.filter(Boolean)).toHaveLength(1);
    expect((await b.get(job.id))?.state).toBe(moves.find(Boolean)?.state);
    await a.close();
    await b.close();
  });

  it("filters by state, kind, group, repo, head ref and reported", async () => {
    const store = fresh().open();
    const a = await store.enqueue(newJob({ key: "a", group: "g1" }));
    await store.enqueue(newJob({ key: "b", group: "g2", kind: "build", headRef: "main" }));
    await store.transition(a.job.id, "queued", "cancelled", { reason: "superseded" });
    expect((await store.list({ state: ["queued"] })).map((j) => j.key)).toEqual(["b"]);
    expect((await store.list({ group: "g1" })).map((j) => j.key)).toEqual(["a"]);
    expect((await store.list({ kind: "build" })).map((j) => j.key)).toEqual(["b"]);
    expect((await store.list({ headRef: "main", repo: { owner: "octo-org", name: "ml-repo" } })).map((j) => j.key)).toEqual(["b"]);
    expect((await store.list({ state: "cancelled", reported: false })).map((j) => j.key)).toEqual(["a"]);
    expect(await store.list({ repo: { owner: "someone", name: "else" } })).toEqual([]);
    expect(await store.list({ state: [] })).toEqual([]);
    await store.update(a.job.id, { reported: true, checkRunId: 42 });
    expect((await store.list({ reported: false })).map((j) => j.key)).toEqual(["b"]);
    expect((await store.list({ state: "cancelled" })).map((j) => j.key)).toEqual(["a"]);
    expect((await store.list({})).map((j) => j.key)).toEqual(["a", "b"]);
    expect((await store.get(a.job.id))?.checkRunId).toBe(42);
    await store.close();
  });

  it("updates bookkeeping fields, and says when the job does not exist", async () => {
    const store = fresh().open();
    const { job } = await store.enqueue(newJob());
    expect(await store.update(job.id, { cancelRequested: true, reason: "by @octocat" })).toMatchObject({ cancelRequested: true, reason: "by @octocat", state: "queued" });
    await expect(store.update("no-such-job", { reported: true })).rejects.toBeInstanceOf(StorageError);
    await store.close();
  });

  it("remembers handled commands and facts across reopen", async () => {
    const storage = fresh();
    const store = storage.open();
    expect(await store.markCommandSeen("comment:9:0")).toBe(true);
    expect(await store.markCommandSeen("comment:9:0")).toBe(false);
    await store.setFact("sticky:o/r#1:train", "123");
    await store.setFact("sticky:o/r#1:train", "456");
    await store.close();
    const reopened = storage.open();
    expect(await reopened.markCommandSeen("comment:9:0")).toBe(false);
    await reopened.forgetCommand("comment:9:0");
    await reopened.forgetCommand("never-seen");
    expect(await reopened.markCommandSeen("comment:9:0")).toBe(true);
    expect(await reopened.getFact("sticky:o/r#1:train")).toBe("456");
    expect(await reopened.getFact("missing")).toBeUndefined();
    await reopened.close();
  });

  it("marks a command seen once when two instances race for it", async () => {
    const storage = fresh();
    const [a, b] = [storage.open(), storage.open()];
    const marks = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).markCommandSeen("comment:5:1")));
    expect(marks.filter(Boolean)).toHaveLength(1);
    await a.close();
    await b.close();
  });

  it("leases a claim: the owner renews it, nobody else can, and one worker takes it over once it lapses", async () => {
    const clock = manualClock();
    const storage = fresh();
    const [a, b] = [storage.open(clock), storage.open(clock)];
    const { job } = await a.enqueue(newJob());
    const claimed = await a.claimNext({ worker: "a", kinds: ["train"], leaseMs: 1000 });
    expect(claimed?.leaseExpiresAt).toBe(clock.now() + 1000);
    const mine = claimed!.claim!;
    expect(mine).toEqual(expect.any(String));
    expect(await b.renewLease!({ id: job.id, claim: "someone-else", leaseMs: 1000 })).toBe(false);

    clock.advance(900);
    expect(await b.claimExpired!({ worker: "b", leaseMs: 1000 })).toEqual([]);
    expect(await a.renewLease!({ id: job.id, claim: mine, leaseMs: 1000 })).toBe(true);
    clock.advance(900); // past the first lease, within the renewed one
    expect(await b.claimExpired!({ worker: "b", leaseMs: 1000 })).toEqual([]);
    expect((await b.get(job.id))?.leaseExpiresAt).toBe(clock.now() + 100);

    clock.advance(101);
    const [taken, alsoTaken] = await Promise.all([b.claimExpired!({ worker: "b", leaseMs: 1000 }), a.claimExpired!({ worker: "c", leaseMs: 1000 })]);
    expect([...taken, ...alsoTaken].map((j) => [j.id, j.state])).toEqual([[job.id, "running"]]);
    const taker = taken.length ? "b" : "c";
    const takenOver = [...taken, ...alsoTaken][0]!;
    expect(takenOver.claim).toEqual(expect.any(String));
    expect(takenOver.claim).not.toBe(mine);
    expect(await a.get(job.id)).toMatchObject({ worker: taker, leaseExpiresAt: clock.now() + 1000, claim: takenOver.claim });
    expect(await a.renewLease!({ id: job.id, claim: mine, leaseMs: 1000 })).toBe(false);
    expect(await a.renewLease!({ id: job.id, claim: takenOver.claim!, leaseMs: 1000 })).toBe(true);
    expect(await a.claimExpired!({ worker: "d", leaseMs: 1000 })).toEqual([]);
    // The taker decides: here the work cannot be followed, so it fails the job.
    expect(await b.transition(job.id, "running", "failed", { reason: "lost" })).toMatchObject({ state: "failed", leaseExpiresAt: null });
    clock.advance(5000);
    expect(await a.claimExpired!({ worker: "d", leaseMs: 1000 })).toEqual([]);
    await a.close();
    await b.close();
  });

  it("leases the report of an ended job to one worker at a time", async () => {
    const clock = manualClock();
    const storage = fresh();
    const [a, b] = [storage.open(clock), storage.open(clock)];
    const { job } = await a.enqueue(newJob());
    expect(await a.claimReport!({ id: job.id, worker: "a", leaseMs: 1000 })).toBe(false); // not ended yet
    await a.transition(job.id, "queued", "cancelled", { reason: "superseded" });
    const claims = await Promise.all([a.claimReport!({ id: job.id, worker: "a", leaseMs: 1000 }), b.claimReport!({ id: job.id, worker: "b", leaseMs: 1000 })]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const [holder, other] = claims[0] ? (["a", "b"] as const) : (["b", "a"] as const);
    const stores = { a, b };
    expect(await stores[holder].claimReport!({ id: job.id, worker: holder, leaseMs: 1000 })).toBe(true); // its own, again
    expect(await stores[other].claimReport!({ id: job.id, worker: other, leaseMs: 1000 })).toBe(false);
    clock.advance(1001); // the holder could not report (GitHub down) and stopped trying
    expect(await stores[other].claimReport!({ id: job.id, worker: other, leaseMs: 1000 })).toBe(true);
    await stores[other].update(job.id, { reported: true });
    expect(await stores[other].claimReport!({ id: job.id, worker: other, leaseMs: 1000 })).toBe(false);
    expect(await a.get(job.id)).toMatchObject({ state: "cancelled", reported: true, reason: "superseded" });
    await a.close();
    await b.close();
  });

  it("never recovers a claim made without a lease, and clears the lease when the job ends", async () => {
    const clock = manualClock();
    const store = fresh().open(clock);
    const plain = await store.enqueue(newJob({ key: "plain" }));
    await store.claimNext({ worker: "a", kinds: ["train"] });
    const leased = await store.enqueue(newJob({ key: "leased", group: "other" }));
    await store.claimNext({ worker: "a", kinds: ["train"], leaseMs: 10 });
    const ended = await store.transition(leased.job.id, "running", "succeeded");
    expect(ended?.leaseExpiresAt ?? null).toBeNull();
    clock.advance(60_000);
    expect(await store.claimExpired!({ worker: "b", leaseMs: 1000 })).toEqual([]);
    expect((await store.get(plain.job.id))?.state).toBe("running");
    await store.close();
  });
}
