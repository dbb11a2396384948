import { expect, it } from "vitest";
import { StorageError } from "../../../src/core/errors.js";
import { newJob, newTrainingResult } from "../../helpers/new-job.js";
import type { JobStoreFixture } from "./job-store-contract.js";

/** A clock the test moves by hand: leases lapse when the test says so, never by waiting. */
function manualClock(start = 1_800_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/**
 * What every `JobStore` does with the fencing token of a claim (`claim`): a job's end is written
 * only by the holder of its current claim (`finish`), so a worker that was paused past its lease,
 * whose job another worker took over, gets `lost-claim` and writes nothing, and the new holder's
 * outcome stands. Run against each adapter, with two instances on one storage (two processes).
 */
export function jobStoreFencingContract(fresh: () => JobStoreFixture): void {
  it("refuses the end of a worker whose lease lapsed and whose job another worker took over: the new holder's outcome stands", async () => {
    const clock = manualClock();
    const storage = fresh();
    const [a, b] = [storage.open(clock), storage.open(clock)];
    const { job } = await a.enqueue(newJob());
    const stale = (await a.claimNext({ worker: "a", kinds: ["train"], leaseMs: 1000 }))!.claim!;
    clock.advance(1001); // a is paused (a long GC, a frozen VM) past its lease
    const [taken] = await b.claimExpired!({ worker: "b", leaseMs: 1000 });
    expect(taken).toMatchObject({ id: job.id, state: "running", worker: "b" });
    const current = taken!.claim!;
    expect(current).not.toBe(stale);

    // a wakes up with a success: refused, and nothing of it is written.
    expect(await a.finish({ id: job.id, claim: stale, to: "succeeded", reason: "stale", result: newTrainingResult({ accuracy: 0.99 }) })).toEqual({ status: "lost-claim" });
    expect(await a.renewLease!({ id: job.id, claim: stale, leaseMs: 1000 })).toBe(false);
    expect(await b.get(job.id)).toMatchObject({ state: "running", worker: "b", claim: current, result: null, reason: null });

    // The holder's end is written; the stale one stays refused after it too.
    const ended = await b.finish({ id: job.id, claim: current, to: "failed", reason: "taken over" });
    expect(ended).toMatchObject({ status: "written", job: { id: job.id, state: "failed", reason: "taken over", result: null, leaseExpiresAt: null } });
    expect(await a.finish({ id: job.id, claim: stale, to: "succeeded", result: newTrainingResult({ accuracy: 0.99 }) })).toEqual({ status: "lost-claim" });
    expect(await b.finish({ id: job.id, claim: current, to: "cancelled" })).toEqual({ status: "lost-claim" }); // ended: once only
    expect(await a.get(job.id)).toMatchObject({ state: "failed", reason: "taken over", result: null });
    await a.close();
    await b.close();
  });

  it("writes exactly the current holder's end when a stale holder finishes at the same moment", async () => {
    const clock = manualClock();
    const storage = fresh();
    const [a, b] = [storage.open(clock), storage.open(clock)];
    const { job } = await a.enqueue(newJob());
    const stale = (await a.claimNext({ worker: "a", kinds: ["train"], leaseMs: 1000 }))!.claim!;
    clock.advance(1001);
    const current = (await b.claimExpired!({ worker: "b", leaseMs: 1000 }))[0]!.claim!;
    const result = newTrainingResult({ accuracy: 0.91 });
    const [late, holder] = await Promise.all([
      a.finish({ id: job.id, claim: stale, to: "succeeded", result: newTrainingResult({ accuracy: 0.5 }) }),
      b.finish({ id: job.id, claim: current, to: "succeeded", result }),
    ]);
    expect(late).toEqual({ status: "lost-claim" });
    expect(holder.status).toBe("written");
    expect(await a.get(job.id)).toMatchObject({ state: "succeeded", result });
    await a.close();
    await b.close();
  });

  it("keeps a worker's claim when it takes back its own lapsed job (nobody else held it), so its run still ends", async () => {
    const clock = manualClock();
    const store = fresh().open(clock);
    const { job } = await store.enqueue(newJob());
    const mine = (await store.claimNext({ worker: "a", kinds: ["train"], leaseMs: 1000 }))!.claim!;
    clock.advance(1001); // its renewals failed for a while (the store was unreachable)
    expect((await store.claimExpired!({ worker: "a", leaseMs: 1000 })).map((j) => j.claim)).toEqual([mine]);
    expect(await store.finish({ id: job.id, claim: mine, to: "succeeded" })).toMatchObject({ status: "written", job: { state: "succeeded" } });
    await store.close();
  });

  it("refuses an end with a claim the job never had, or of a job that is not running, and a move that is not an end", async () => {
    const store = fresh().open();
    const { job } = await store.enqueue(newJob());
    expect(await store.finish({ id: job.id, claim: "forged", to: "succeeded" })).toEqual({ status: "lost-claim" }); // queued: nobody holds it
    expect(await store.finish({ id: "no-such-job", claim: "forged", to: "failed" })).toEqual({ status: "lost-claim" });
    const claimed = await store.claimNext({ worker: "a", kinds: ["train"], leaseMs: 1000 });
    expect(await store.finish({ id: job.id, claim: "forged", to: "succeeded" })).toEqual({ status: "lost-claim" });
    expect(await store.finish({ id: job.id, claim: "", to: "succeeded" })).toEqual({ status: "lost-claim" });
    await expect(store.finish({ id: job.id, claim: claimed!.claim!, to: "running" as never })).rejects.toBeInstanceOf(StorageError);
    expect((await store.get(job.id))?.state).toBe("running");
    await store.close();
  });

  it("marks an end reported only for the holder of its report lease: a reporter whose lease lapsed and was taken over is refused", async () => {
    const clock = manualClock();
    const storage = fresh();
    const [a, b] = [storage.open(clock), storage.open(clock)];
    const { job } = await a.enqueue(newJob());
    await a.transition(job.id, "queued", "cancelled", { reason: "superseded" });
    expect(await a.markReported!({ id: job.id, worker: "a" })).toBe("lost-claim"); // nobody's report yet
    expect(await a.claimReport!({ id: job.id, worker: "a", leaseMs: 1000 })).toBe(true);
    clock.advance(1001); // a's report is slow (GitHub's throttle): b takes it over
    expect(await b.claimReport!({ id: job.id, worker: "b", leaseMs: 1000 })).toBe(true);
    expect(await a.markReported!({ id: job.id, worker: "a" })).toBe("lost-claim");
    expect((await b.get(job.id))?.reported).toBe(false); // b's report may still fail and be retried
    expect(await b.markReported!({ id: job.id, worker: "b" })).toBe("written");
    expect(await a.markReported!({ id: job.id, worker: "a" })).toBe("lost-claim");
    expect(await a.get(job.id)).toMatchObject({ state: "cancelled", reported: true });
    await a.close();
    await b.close();
  });
}
