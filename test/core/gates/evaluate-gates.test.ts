import { describe, expect, it } from "vitest";
import { evaluateGates } from "../../../src/core/gates/evaluate-gates.js";

const metric = (key: string, old: number | undefined, now: number | undefined) => ({ path: "ml/metrics.json", key, old, new: now, changed: old !== now });

describe("evaluateGates", () => {
  it("passes min and max_drop within limits, and says what it checked", () => {
    expect(evaluateGates({ gates: { accuracy: { min: 0.85, max_drop: 0.01 } }, metrics: [metric("accuracy", 0.93, 0.925)] })).toEqual([
      { metric: "accuracy", passed: true, detail: "accuracy 0.925 ≥ min 0.85, drop 0.005 ≤ 0.01" },
    ]);
  });

  it("fails a drop larger than allowed, naming both values", () => {
    const [result] = evaluateGates({ gates: { accuracy: { max_drop: 0.01 } }, metrics: [metric("accuracy", 0.94, 0.9)] });
    expect(result).toEqual({ metric: "accuracy", passed: false, detail: "accuracy drop 0.04 > max_drop 0.01 (0.94 → 0.9)" });
  });

  it("treats a drop exactly at the limit as a pass despite float noise", () => {
    expect(evaluateGates({ gates: { accuracy: { max_drop: 0.01 } }, metrics: [metric("accuracy", 0.94, 0.93)] })[0]?.passed).toBe(true);
  });

  it("fails min and max, and a gated metric the run did not produce", () => {
    const results = evaluateGates({
      gates: { accuracy: { min: 0.95 }, loss: { max: 0.1 }, "metrics.json:f1": { min: 0.5 } },
      metrics: [metric("accuracy", undefined, 0.9), metric("loss", 0.2, 0.3)],
    });
    expect(results.map((r) => [r.passed, r.detail])).toEqual([
      [false, "accuracy 0.9 < min 0.95"],
      [false, "loss 0.3 > max 0.1"],
      [false, "metrics.json:f1 was not produced by this run"],
    ]);
  });

  it("passes a drop gate without a base and says so", () => {
    expect(evaluateGates({ gates: { accuracy: { max_drop: 0.01 } }, metrics: [metric("accuracy", undefined, 0.9)] })[0]).toEqual({
      metric: "accuracy",
      passed: true,
      detail: "accuracy no base value to measure a drop against",
    });
  });
});
