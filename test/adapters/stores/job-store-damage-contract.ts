import { expect, it } from "vitest";
import type { JobKind, StoredJob } from "../../../src/core/jobs/job.js";
import { newJob, newTrainingResult } from "../../helpers/new-job.js";
import type { JobStoreFixture } from "./job-store-contract.js";

const kinds: readonly JobKind[] = ["train", "diff", "build", "deploy"];

/** A store's storage that a test can also damage behind the store's back. */
export interface DamageableStoreFixture extends JobStoreFixture {
  /**
   * Damages a stored job as a bad disk, a hand edit or an older bot would: `input` or `result`
   * becomes the raw `text` (JSON or not), or `kind` becomes `text`.
   */
  damage(id: string, part: "input" | "result" | "kind", text: string): Promise<void>;
}

/** A job of `kind` as a store hands it back when its record is damaged: a typed problem naming where. */
function damagedJob(id: string, fields: Record<string, unknown>): unknown {
  return expect.objectContaining({ id, problem: expect.objectContaining({ file: expect.stringContaining(id), message: expect.any(String) }), ...fields });
}

/**
 * What every `JobStore` does with a damaged record: it reads it back as an `UnreadableJob` (a
 * typed problem that names the record), from `get`, `list` and `claimNext` alike, never by
 * throwing and never as a job of its kind; and it still moves it, so the worker can end and
 * report it instead of meeting it on every poll.
 */
export function jobStoreDamageContract(fresh: () => DamageableStoreFixture): void {
  it.each(kinds)("reads a %s job whose input has the wrong shape as a typed problem, and still lets it end", async (kind) => {
    const storage = fresh();
    const store = storage.open();
    const { job } = await store.enqueue(newJob({ kind, key: `damaged-${kind}` }));
    await storage.damage(job.id, "input", JSON.stringify({ overrides: "all of them", trigger: 7, plans: "none" }));

    const expected = damagedJob(job.id, { kind, state: "queued", damage: "input", key: `damaged-${kind}`, problem: expect.objectContaining({ path: expect.stringMatching(/^input\./) }) });
    expect(await store.get(job.id)).toEqual(expected);
    expect(await store.list({ kind })).toEqual([expected]);
    const claimed = await store.claimNext({ worker: "w", kinds: [kind], leaseMs: 1000 });
    expect(claimed).toEqual(damagedJob(job.id, { state: "running", damage: "input" }));
    expect(await store.transition(job.id, "running", "failed", { reason: "damaged" })).toEqual(damagedJob(job.id, { state: "failed", reason: "damaged" }));
    expect(await store.update(job.id, { reported: true })).toEqual(damagedJob(job.id, { state: "failed", reported: true }));
    expect(await store.list({ state: "failed", reported: false })).toEqual([]);
    await store.close();
  });

  it.each(kinds)("reads a %s job whose result has the wrong shape as a typed problem", async (kind) => {
    const storage = fresh();
    const store = storage.open();
    const { job } = await store.enqueue(newJob({ kind, key: `result-${kind}` }));
    await store.claimNext({ worker: "w", kinds: [kind] });
    await store.transition(job.id, "running", "succeeded");
    await storage.damage(job.id, "result", JSON.stringify({ outcome: "exploded", outcomes: 3, conclusion: "maybe" }));
    const read = await store.get(job.id);
    expect(read).toEqual(damagedJob(job.id, { kind, state: "succeeded", damage: "result", problem: expect.objectContaining({ path: expect.stringMatching(/^result\./) }) }));
    expect(await store.list({ state: "succeeded", reported: false })).toEqual([read]);
    await store.close();
  });

  it("reads a result of another kind's shape as a typed problem, not as that kind", async () => {
    const store = fresh().open();
    const { job } = await store.enqueue(newJob({ kind: "diff", key: "diff-with-train-result" }));
    await store.claimNext({ worker: "w", kinds: ["diff"] });
    const ended = await store.transition(job.id, "running", "succeeded", { result: newTrainingResult() });
    expect(ended).toEqual(damagedJob(job.id, { kind: "diff", damage: "result" }));
    await store.close();
  });

  it("reads input that is not JSON at all as a typed problem", async () => {
    const storage = fresh();
    const store = storage.open();
    const { job } = await store.enqueue(newJob({ key: "not-json" }));
    await storage.damage(job.id, "input", "{not json");
    // A column store damages the column; an object store, the whole record.
    const expected = damagedJob(job.id, { damage: expect.stringMatching(/^(input|record)$/) });
    expect(await store.get(job.id)).toEqual(expected);
    expect(await store.list({})).toEqual([expected]);
    await store.close();
  });

  it("reads a record of an unknown kind as a typed problem, and never hands it to a worker", async () => {
    const storage = fresh();
    const store = storage.open();
    const { job } = await store.enqueue(newJob({ key: "unknown-kind" }));
    await storage.damage(job.id, "kind", "release");
    const read: StoredJob | undefined = await store.get(job.id);
    expect(read).toEqual(damagedJob(job.id, { kind: null, damage: "record", problem: expect.objectContaining({ path: "kind" }) }));
    expect(await store.claimNext({ worker: "w", kinds })).toBeUndefined();
    await store.close();
  });
}
