import type { RunCost, RunResources } from "../../core/costs/run-resources.js";
import { formatDuration } from "../format/format-duration.js";
import { formatMoney } from "./format-money.js";

/** A pull request's runs so far (this one included) that have an estimate. */
export interface PullRequestCost {
  readonly amount: number;
  readonly currency: string;
  readonly runs: number;
}

/**
 * The cost lines of a train report: the run's estimate and what it ran on, and the pull
 * request's total so far. Pure; empty when the run has no estimate (a run of an older bot).
 */
export function renderRunCost(params: { resources: RunResources | undefined; cost: RunCost | undefined; pr: PullRequestCost | undefined }): { summary: string; comment: string } {
  const { resources, cost, pr } = params;
  if (!cost) return { summary: "", comment: "" };
  const sized = resources ? ` (${describeResources(resources)})` : "";
  const short = cost.unpriced?.length ? `; not priced: ${cost.unpriced.join(", ")} (set them in \`MLOPS_PRICES\`)` : "";
  const total = pr && pr.runs > 1 ? `; this pull request so far: **${formatMoney(pr.amount, pr.currency)}** over ${pr.runs} runs` : "";
  return {
    summary: `Estimated cost: **${formatMoney(cost.amount, cost.currency)}**${sized}${short}${total}.`,
    comment: `Estimated cost ${formatMoney(cost.amount, cost.currency)}${pr && pr.runs > 1 ? `, ${formatMoney(pr.amount, pr.currency)} for this PR's ${pr.runs} runs` : ""}.`,
  };
}

/** `cloud-run: 2 vCPU, 4 GiB, 1 × nvidia-l4 for 7m 12s` (the local runner's sizes are the machine's). */
export function describeResources(r: RunResources): string {
  const gpu = r.gpu ? `, ${r.gpu.count} × ${r.gpu.type}` : "";
  const host = r.basis === "host" ? ", the whole host" : "";
  return `${r.runner}: ${round(r.vcpu)} vCPU, ${round(r.memoryGiB)} GiB${gpu}${host} for ${formatDuration(r.wallMs)}`;
}

function round(n: number): string {
  return String(Number(n.toFixed(n >= 10 ? 0 : 2)));
}
