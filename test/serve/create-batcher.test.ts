import { describe, expect, it } from "vitest";
import { createBatcher, type RunModel } from "../../src/serve/create-batcher.js";

/** A stand-in model of 2 features: label = row index in the run, probabilities = the row's features. */
function recordingRun(): { run: RunModel; calls: number[][] } {
  const calls: number[][] = [];
  const run: RunModel = async (rows, count) => {
    await Promise.resolve();
    calls.push(Array.from(rows));
    return { labels: BigInt64Array.from({ length: count }, (_, k) => BigInt(k)), probabilities: Float32Array.from(rows) };
  };
  return { run, calls };
}

const input = (...values: number[]) => ({ rows: Float32Array.from(values), count: values.length / 2 });

describe("createBatcher", () => {
  it("runs requests that arrive together as one batch, and gives each its own rows back", async () => {
    const { run, calls } = recordingRun();
    const runs: [number, number][] = [];
    const batcher = createBatcher({ run, featureCount: 2, maxRows: 100, onRun: (rows, requests) => runs.push([rows, requests]) });
    const slices = await Promise.all([batcher.predict(input(1, 2)), batcher.predict(input(3, 4, 5, 6)), batcher.predict(input(7, 8))]);
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6, 7, 8]]);
    expect(runs).toEqual([[4, 3]]);
    expect(slices.map((s) => [s.start, s.count])).toEqual([[0, 1], [1, 2], [3, 1]]);
    const own = slices.map((s) => Array.from(s.outputs.probabilities.subarray(s.start * 2, (s.start + s.count) * 2)));
    expect(own).toEqual([[1, 2], [3, 4, 5, 6], [7, 8]]);
  });

  it("keeps to maxRows per run and runs the rest next", async () => {
    const { run, calls } = recordingRun();
    const batcher = createBatcher({ run, featureCount: 2, maxRows: 2 });
    await Promise.all([batcher.predict(input(1, 1)), batcher.predict(input(2, 2)), batcher.predict(input(3, 3))]);
    expect(calls).toEqual([[1, 1, 2, 2], [3, 3]]);
  });

  it("queues requests that arrive while a run is in flight for the next run", async () => {
    const { run, calls } = recordingRun();
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const gated: RunModel = async (rows, count) => {
      if (calls.length === 0) {
        started();
        await gate;
      }
      return run(rows, count);
    };
    const batcher = createBatcher({ run: gated, featureCount: 2, maxRows: 10 });
    const first = batcher.predict(input(1, 1));
    await firstStarted;
    const later = [batcher.predict(input(2, 2)), batcher.predict(input(3, 3))];
    finish();
    await Promise.all([first, ...later]);
    expect(calls).toEqual([[1, 1], [2, 2, 3, 3]]);
  });

  it("fails every request of a failed run, then serves the next ones", async () => {
    let fail = true;
    const inner = recordingRun();
    const batcher = createBatcher({
      featureCount: 2,
      maxRows: 10,
      run: (rows, count) => (fail ? Promise.reject(new Error("boom")) : inner.run(rows, count)),
    });
    const results = await Promise.allSettled([batcher.predict(input(1, 1)), batcher.predict(input(2, 2))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await expect(batcher.predict(input(3, 3))).resolves.toMatchObject({ start: 0, count: 1 });
  });

  it("idle() waits for queued and running work", async () => {
    const { run } = recordingRun();
    const batcher = createBatcher({ run, featureCount: 2, maxRows: 10 });
    let done = false;
    void batcher.predict(input(1, 1)).then(() => (done = true));
    await batcher.idle();
    expect(done).toBe(true);
  });
});
