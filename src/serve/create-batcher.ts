import type { PredictInput } from "./create-predict-request-parser.js";
import type { RunOutputs } from "./create-predictions-encoder.js";

/** One onnxruntime run over `count` rows (`rows.length === count * features`). */
export type RunModel = (rows: Float32Array, count: number) => Promise<RunOutputs>;

/** A request's share of a run: rows `start..start+count-1` of `outputs`. */
export interface BatchSlice {
  readonly outputs: RunOutputs;
  readonly start: number;
  readonly count: number;
}

export interface Batcher {
  predict(input: PredictInput): Promise<BatchSlice>;
  /** Resolves when nothing is queued or running (for shutdown, before the session is released). */
  idle(): Promise<void>;
}

interface Pending {
  readonly input: PredictInput;
  readonly resolve: (slice: BatchSlice) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Micro-batching without a timer. onnxruntime-node runs a session synchronously on the main
 * thread (inside a setImmediate), so two runs never overlap and nothing is gained by starting
 * a second one. Instead, one run is in flight at a time; requests that arrive meanwhile (or in
 * the same event-loop turn as the first) queue up and go together into the next run, up to
 * `maxRows` rows. An idle server adds no delay: a lone request runs on the next turn. Under
 * load, the batch grows with the load, which amortises the per-run cost (about 15-60 µs)
 * over many requests. Requests keep their own rows: each gets back its slice of the outputs.
 */
export function createBatcher(params: { run: RunModel; featureCount: number; maxRows: number; onRun?: (rows: number, requests: number) => void }): Batcher {
  const { run, featureCount, maxRows, onRun } = params;
  const queue: Pending[] = [];
  const merged = new Float32Array(maxRows * featureCount);
  const idleWaiters: (() => void)[] = [];
  let running = false;
  let scheduled = false;

  const flush = async (): Promise<void> => {
    scheduled = false;
    if (running || queue.length === 0) return;
    running = true;
    let rows = queue[0]!.input.count;
    let n = 1;
    while (n < queue.length && rows + queue[n]!.input.count <= maxRows) rows += queue[n++]!.input.count;
    const batch = queue.splice(0, n);
    let feed = batch[0]!.input.rows;
    if (n > 1) {
      let offset = 0;
      for (const p of batch) {
        merged.set(p.input.rows, offset);
        offset += p.input.rows.length;
      }
      feed = merged.subarray(0, offset);
    }
    onRun?.(rows, n);
    try {
      const outputs = await run(feed, rows);
      let start = 0;
      for (const p of batch) {
        p.resolve({ outputs, start, count: p.input.count });
        start += p.input.count;
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      running = false;
      if (queue.length > 0) void flush();
      else for (const wake of idleWaiters.splice(0)) wake();
    }
  };

  return {
    predict(input) {
      return new Promise<BatchSlice>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        if (!running && !scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
    idle() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
