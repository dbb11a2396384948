import { describe, expect, it } from "vitest";
import { formatMoney } from "../../../src/report/costs/format-money.js";
import { renderRunCost } from "../../../src/report/costs/render-run-cost.js";
import type { RunResources } from "../../../src/core/costs/run-resources.js";

const cloudRun: RunResources = { runner: "cloud-run", wallMs: 432_000, vcpu: 2, memoryGiB: 4, gpu: null, basis: "limits" };

describe("renderRunCost", () => {
  it("says the run's estimate, what it ran on, and the PR's total once there is more than one run", () => {
    const first = renderRunCost({ resources: cloudRun, cost: { amount: 0.019, currency: "USD" }, pr: { amount: 0.019, currency: "USD", runs: 1 } });
    expect(first).toEqual({
      summary: "Estimated cost: **0.019 USD** (cloud-run: 2 vCPU, 4 GiB for 7 min 12 s).",
      comment: "Estimated cost 0.019 USD.",
    });
    const third = renderRunCost({ resources: cloudRun, cost: { amount: 0.019, currency: "USD" }, pr: { amount: 0.0512, currency: "USD", runs: 3 } });
    expect(third).toEqual({
      summary: "Estimated cost: **0.019 USD** (cloud-run: 2 vCPU, 4 GiB for 7 min 12 s); this pull request so far: **0.051 USD** over 3 runs.",
      comment: "Estimated cost 0.019 USD, 0.051 USD for this PR's 3 runs.",
    });
  });

  it("says a local run's sizes are the host's, names GPUs, and what had no price", () => {
    const local = renderRunCost({ resources: { ...cloudRun, runner: "local", basis: "host", vcpu: 8, memoryGiB: 31.26 }, cost: { amount: 0, currency: "USD" }, pr: undefined });
    expect(local.summary).toBe("Estimated cost: **0 USD** (local: 8 vCPU, 31 GiB, the whole host for 7 min 12 s).");
    const gpu = renderRunCost({
      resources: { ...cloudRun, gpu: { type: "nvidia-h100", count: 2 } },
      cost: { amount: 0.019, currency: "USD", unpriced: ["GPU nvidia-h100 on cloud-run"] },
      pr: undefined,
    });
    expect(gpu.summary).toBe("Estimated cost: **0.019 USD** (cloud-run: 2 vCPU, 4 GiB, 2 × nvidia-h100 for 7 min 12 s); not priced: GPU nvidia-h100 on cloud-run (set them in `MLOPS_PRICES`).");
  });

  it("says nothing for a run without an estimate (an older bot's)", () => {
    expect(renderRunCost({ resources: undefined, cost: undefined, pr: undefined })).toEqual({ summary: "", comment: "" });
  });
});

describe("formatMoney", () => {
  it("keeps two significant digits under 1 and two decimals above", () => {
    expect([0, 0.0042, 0.031, 0.5, 1.234, 123.456, 0.00001234].map((a) => formatMoney(a, "USD"))).toEqual([
      "0 USD",
      "0.0042 USD",
      "0.031 USD",
      "0.50 USD",
      "1.23 USD",
      "123.46 USD",
      "0.000012 USD",
    ]);
  });
});
