import { describe, expect, it } from "vitest";
import { estimateRunCost } from "../../../src/core/costs/estimate-run-cost.js";
import { DEFAULT_PRICES, type PriceTable } from "../../../src/core/costs/price-table.js";
import type { RunResources } from "../../../src/core/costs/run-resources.js";

const run = (over: Partial<RunResources>): RunResources => ({ runner: "cloud-run", wallMs: 600_000, vcpu: 2, memoryGiB: 4, gpu: null, basis: "limits", ...over });

describe("estimateRunCost", () => {
  it("prices a Cloud Run task at the list prices: 10 min of 2 vCPU and 4 GiB", () => {
    // 600 s × (2 × $0.000018 + 4 × $0.000002) = $0.0264
    const cost = estimateRunCost({ resources: run({}), prices: DEFAULT_PRICES });
    expect(cost.currency).toBe("USD");
    expect(cost.amount).toBeCloseTo(0.0264, 10);
    expect(cost.unpriced).toBeUndefined();
  });

  it("is linear in wall time and in each resource", () => {
    const one = estimateRunCost({ resources: run({ wallMs: 3_600_000, vcpu: 1, memoryGiB: 0 }), prices: DEFAULT_PRICES }).amount;
    expect(one).toBeCloseTo(0.0648, 10);
    expect(estimateRunCost({ resources: run({ wallMs: 7_200_000, vcpu: 1, memoryGiB: 0 }), prices: DEFAULT_PRICES }).amount).toBeCloseTo(2 * one, 10);
    expect(estimateRunCost({ resources: run({ wallMs: 3_600_000, vcpu: 0, memoryGiB: 1 }), prices: DEFAULT_PRICES }).amount).toBeCloseTo(0.0072, 10);
    expect(estimateRunCost({ resources: run({ wallMs: 0 }), prices: DEFAULT_PRICES }).amount).toBe(0);
  });

  it("adds the GPUs at their type's price", () => {
    // 1 h × (4 × 0.0648 + 16 × 0.0072 + 1 × 0.67212)
    const cost = estimateRunCost({ resources: run({ wallMs: 3_600_000, vcpu: 4, memoryGiB: 16, gpu: { type: "nvidia-l4", count: 1 } }), prices: DEFAULT_PRICES });
    expect(cost.amount).toBeCloseTo(4 * 0.0648 + 16 * 0.0072 + 0.67212, 10);
  });

  it("names what has no price instead of pricing it silently", () => {
    const gpu = estimateRunCost({ resources: run({ gpu: { type: "nvidia-h100", count: 2 } }), prices: DEFAULT_PRICES });
    expect(gpu.amount).toBeCloseTo(0.0264, 10);
    expect(gpu.unpriced).toEqual(["GPU nvidia-h100 on cloud-run"]);
    const table: PriceTable = { currency: "EUR", runners: { docker: { vcpuHour: 0.05, gibHour: 0.01, gpuHour: {} } } };
    const runner = estimateRunCost({ resources: run({ runner: "cloud-run" }), prices: table });
    expect(runner).toEqual({ amount: 0, currency: "EUR", unpriced: ["the cloud-run runner"] });
  });

  it("prices the local and Docker runners at 0 by default (a machine already paid for), and as configured", () => {
    expect(estimateRunCost({ resources: run({ runner: "local", basis: "host", vcpu: 8, memoryGiB: 32 }), prices: DEFAULT_PRICES })).toEqual({ amount: 0, currency: "USD" });
    const table: PriceTable = { currency: "USD", runners: { docker: { vcpuHour: 0.04, gibHour: 0.005, gpuHour: {} } } };
    // 30 min × (2 × 0.04 + 4 × 0.005) = 0.05
    expect(estimateRunCost({ resources: run({ runner: "docker", wallMs: 1_800_000 }), prices: table }).amount).toBeCloseTo(0.05, 10);
  });
});
