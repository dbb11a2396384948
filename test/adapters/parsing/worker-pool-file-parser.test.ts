import { afterEach, describe, expect, it } from "vitest";
import { WorkerPoolFileParser } from "../../../src/adapters/parsing/worker-pool-file-parser.js";
import { DEFAULT_PARSE_LIMITS } from "../../../src/core/limits/parse-limits.js";

const pools: WorkerPoolFileParser[] = [];
function pool(options: Partial<ConstructorParameters<typeof WorkerPoolFileParser>[0]> = {}): WorkerPoolFileParser {
  const p = new WorkerPoolFileParser({ limits: DEFAULT_PARSE_LIMITS, size: 1, timeoutMs: 60_000, memoryMb: 256, ...options });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

// A request for this file never finishes in its worker (the pool's test-only stall hook): the
// deadline and memory cases hold on any machine, however fast its parsers.
const STALLED = "ml/stalled.yaml";
// Generous, so the ordinary parses around the stalled one finish in time on a loaded machine.
const DEADLINE_MS = 2000;

describe("WorkerPoolFileParser", () => {
  it("parses in a worker thread; Python's number types survive the trip back", async () => {
    const outcome = await pool().parse({ kind: "params", file: "ml/params.yaml", text: "lr: 1.0\nseed: 123456789012345678901234567890\nn: 3\n" });
    expect(outcome.ok && outcome.value.data).toEqual({ lr: new Number(1), seed: 123456789012345678901234567890n, n: 3 });
  });

  it("warms one worker ahead of the first file; the first parse uses it instead of starting another", async () => {
    const p = pool({ size: 2 });
    expect(p.readyWorkers).toBe(0);
    await Promise.all([p.warm(), p.warm()]);
    expect(p.readyWorkers).toBe(1);
    const outcome = await p.parse({ kind: "metrics", file: "metrics.json", text: '{"acc": 0.5}' });
    expect(outcome.ok && outcome.value.data).toEqual({ acc: 0.5 });
    expect(p.readyWorkers).toBe(1);
  });

  it("refuses a file over its kind's cap before copying it to a worker", async () => {
    const outcome = await pool().parse({ kind: "params", file: "ml/params.yaml", text: `a: "${"x".repeat(2 * 1024 * 1024)}"` });
    expect(outcome).toEqual({ ok: false, error: [{ file: "ml/params.yaml", message: "is larger than the 1 MiB the bot reads of a params file, so it was not read" }] });
  });

  it("stops a parse past its deadline, says so for that file, and answers the next one from a new worker", async () => {
    const p = pool({ timeoutMs: DEADLINE_MS, stallHook: { file: STALLED, how: "spin" } });
    const slow = await p.parse({ kind: "params", file: STALLED, text: "a: 1\n" });
    expect(slow).toEqual({ ok: false, error: [{ file: STALLED, message: "took longer than the 2 s the bot gives one file to parse (params file)" }] });
    const next = await p.parse({ kind: "metrics", file: "metrics.json", text: '{"acc": 0.5}' });
    expect(next.ok && next.value.data).toEqual({ acc: 0.5 });
  });

  it("a parse that needs more memory than a worker has costs that worker only", async () => {
    const p = pool({ memoryMb: 40, stallHook: { file: STALLED, how: "allocate" } });
    const heavy = await p.parse({ kind: "params", file: STALLED, text: "a: 1\n" });
    expect(heavy).toEqual({ ok: false, error: [{ file: STALLED, message: "needed more than the 40 MiB of memory the bot gives one file (params file)" }] });
    const next = await p.parse({ kind: "params", file: "small.yaml", text: "a: 1\n" });
    expect(next.ok && next.value.data).toEqual({ a: 1 });
  });

  it("reads a comment's commands in a worker, and gives up on a comment past the deadline instead of blocking", async () => {
    const p = pool({ timeoutMs: DEADLINE_MS, stallHook: { file: "a stalled comment", how: "spin" } });
    const small = await p.parse({ kind: "comment", file: "this comment", text: "Looks good.\n/train train.lr=0.05\n```\n/help\n```" });
    expect(small.ok && small.value.commands.map((c) => [c.name, c.assignments.map((a) => a.key)])).toEqual([["train", ["train.lr"]]]);
    expect(await p.parse({ kind: "comment", file: "a stalled comment", text: "/train a=1\n" })).toEqual({
      ok: false,
      error: [{ file: "a stalled comment", message: "took longer than the 2 s the bot gives one file to parse (comment)" }],
    });
    const after = await p.parse({ kind: "comment", file: "this comment", text: "/help\n" });
    expect(after.ok && after.value.commands.map((c) => c.name)).toEqual(["help"]);
  });
});
