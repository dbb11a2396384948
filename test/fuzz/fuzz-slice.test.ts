import { describe, expect, it } from "vitest";
import { fuzzTargets } from "./fuzz-targets.js";
import { runFuzzTarget } from "./run-fuzz-target.js";

// The slice of `npm run fuzz` that runs in npm test: 2,000 generated inputs per parser (a new
// seed each run, named in a failure so it can be replayed with FUZZ_SEED). The crafted 1 MB
// inputs are left to npm run fuzz (test/core/limits/bounded-parsing.test.ts and the hostile
// pushes e2e test hold the worst of them).
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describe("every parser of hostile input returns a result for any input, never a throw", () => {
  it.each(fuzzTargets.map((t) => [t.name, t] as const))("%s", (_name, target) => {
    const report = runFuzzTarget(target, { numRuns: 2000, seed, crafted: false });
    expect(report.firstThrow, `seed ${seed}`).toBeUndefined();
    expect(report.runs).toBe(2000);
  });
});
