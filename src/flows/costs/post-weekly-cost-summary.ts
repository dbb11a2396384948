import type { CostConfig } from "../../config/cost-config.js";
import { isKind, isReadable, type TrainJob } from "../../core/jobs/job.js";
import { previousWeek, summarizeCosts } from "../../core/costs/summarize-costs.js";
import type { CodeHost } from "../../ports/code-host.js";
import type { JobStore } from "../../ports/job-store.js";
import type { Logger } from "../../ports/logger.js";
import { renderCostSummary } from "../../report/costs/render-cost-summary.js";

export interface WeeklyCostSummaryDeps {
  readonly store: JobStore;
  readonly costs: Pick<CostConfig, "prices" | "monthlyBudget" | "summaryIssue">;
  /** A code host for the summary issue's repository (the App's installation there). */
  readonly hostFor: (repo: { owner: string; name: string }) => Promise<CodeHost>;
  readonly log: Logger;
}

/**
 * Posts the last whole week's cost summary (Monday to Monday, UTC) to the configured issue, once:
 * the week is marked in the store first (like a handled command), so every tick of every bot
 * instance, and a Cloud Scheduler call besides, post it once; a failure forgets the mark, so the
 * next tick tries again. Says what it did.
 */
export async function postWeeklyCostSummary(deps: WeeklyCostSummaryDeps, now = new Date()): Promise<"posted" | "already posted" | "off"> {
  const issue = deps.costs.summaryIssue;
  if (!issue) return "off";
  const week = previousWeek(now);
  const key = `cost-summary:${issue.owner}/${issue.repo}#${issue.number}:${week.label}`;
  if (!(await deps.store.markCommandSeen(key))) return "already posted";
  try {
    const jobs = (await deps.store.list({ kind: "train" })).filter(isReadable).filter((job): job is TrainJob => isKind(job, "train"));
    const summary = summarizeCosts({ jobs, from: week.from, to: week.to, currency: deps.costs.prices.currency, monthlyBudget: deps.costs.monthlyBudget });
    const host = await deps.hostFor({ owner: issue.owner, name: issue.repo });
    await host.comment(issue.number, renderCostSummary(summary));
    deps.log.info({ week: week.label, runs: summary.runs, issue: issue.number }, "weekly cost summary posted");
    return "posted";
  } catch (e) {
    await deps.store.forgetCommand(key);
    throw e;
  }
}

/**
 * Runs `postWeeklyCostSummary` now and every `everyMs` (default an hour) in this process; a
 * failed try is logged and retried on the next tick. The timer does not keep the process alive.
 * Returns the function that stops it.
 */
export function scheduleWeeklyCostSummary(deps: WeeklyCostSummaryDeps, everyMs = 3_600_000): () => void {
  const tick = () =>
    void postWeeklyCostSummary(deps).catch((e: unknown) => deps.log.warn({ err: e }, "weekly cost summary: not posted, retried in an hour"));
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
