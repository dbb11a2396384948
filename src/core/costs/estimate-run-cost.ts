import type { PriceTable } from "./price-table.js";
import type { RunCost, RunResources } from "./run-resources.js";

const HOUR_MS = 3_600_000;

/**
 * A run's estimated cost: its wall time times what its runner's vCPUs, memory and GPUs cost per
 * hour. A runner or GPU type the table has no price for counts as 0 and is named in `unpriced`,
 * so a report can say the estimate is short rather than print a confident wrong number.
 */
export function estimateRunCost(params: { resources: RunResources; prices: PriceTable }): RunCost {
  const { resources, prices } = params;
  const hours = resources.wallMs / HOUR_MS;
  const runner = prices.runners[resources.runner];
  const unpriced: string[] = [];
  if (!runner) unpriced.push(`the ${resources.runner} runner`);
  let perHour = runner ? resources.vcpu * runner.vcpuHour + resources.memoryGiB * runner.gibHour : 0;
  if (resources.gpu) {
    const gpuPrice = runner?.gpuHour[resources.gpu.type];
    if (gpuPrice === undefined) {
      if (runner) unpriced.push(`GPU ${resources.gpu.type} on ${resources.runner}`);
    } else perHour += resources.gpu.count * gpuPrice;
  }
  return { amount: hours * perHour, currency: prices.currency, ...(unpriced.length ? { unpriced } : {}) };
}
