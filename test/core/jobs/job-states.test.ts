import { describe, expect, it } from "vitest";
import { jobStates } from "../../../src/core/jobs/job.js";
import { canTransition, isTerminal } from "../../../src/core/jobs/job-states.js";

describe("job states", () => {
  it("allows exactly the documented moves", () => {
    const allowed = jobStates.flatMap((from) => jobStates.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed).toEqual([
      "queued->running",
      "queued->cancelled",
      "running->succeeded",
      "running->failed",
      "running->cancelled",
      "running->timed_out",
    ]);
  });

  it("knows which states are final", () => {
    expect(jobStates.filter(isTerminal)).toEqual(["succeeded", "failed", "cancelled", "timed_out"]);
  });
});
