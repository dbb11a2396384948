import type { TrainJob } from "../jobs/job.js";

/** One repository's runs on one runner in the period. */
export interface CostRow {
  readonly repo: string;
  readonly runner: string;
  readonly runs: number;
  readonly hours: number;
  readonly amount: number;
}

/** What a period's training runs cost: totals, by repository and runner, the most expensive pull requests, and the budget. */
export interface CostSummary {
  readonly from: number;
  readonly to: number;
  readonly currency: string;
  readonly runs: number;
  readonly hours: number;
  readonly amount: number;
  /** Runs that ended in the period with no estimate (an older bot's, or another currency's): counted in runs and hours only. */
  readonly unestimated: number;
  /** By cost, then hours. */
  readonly rows: readonly CostRow[];
  /** The five pull requests whose runs in the period cost most. */
  readonly topPullRequests: ReadonlyArray<{ readonly repo: string; readonly pr: number; readonly runs: number; readonly amount: number }>;
  readonly budget?: { readonly monthly: number; readonly monthStart: number; readonly monthToDate: number; readonly weekShare: number };
}

const HOUR_MS = 3_600_000;

/**
 * Sums the training runs that ended in [from, to): each run's stored estimate, its wall time
 * (the recorded one, else start to end), by repository and runner. With a monthly budget, also
 * the calendar month (UTC) of the period's last day so far, and the period's share of a month.
 * Pure: the jobs come in, already read.
 */
export function summarizeCosts(params: {
  jobs: readonly TrainJob[];
  from: number;
  to: number;
  currency: string;
  monthlyBudget?: number | undefined;
}): CostSummary {
  const { from, to, currency } = params;
  const ended = (job: TrainJob, start: number) => job.finishedAt !== null && job.finishedAt >= start && job.finishedAt < to;
  const inPeriod = params.jobs.filter((job) => ended(job, from));
  const rows = new Map<string, { repo: string; runner: string; runs: number; hours: number; amount: number }>();
  const prs = new Map<string, { repo: string; pr: number; runs: number; amount: number }>();
  let unestimated = 0;
  for (const job of inPeriod) {
    const repo = `${job.repo.owner}/${job.repo.name}`;
    const runner = job.result?.resources?.runner ?? job.input.config.runner;
    const hours = wallMs(job) / HOUR_MS;
    const amount = costOf(job, currency);
    if (amount === undefined) unestimated += 1;
    const row = rows.get(`${repo}\n${runner}`) ?? { repo, runner, runs: 0, hours: 0, amount: 0 };
    rows.set(`${repo}\n${runner}`, { ...row, runs: row.runs + 1, hours: row.hours + hours, amount: row.amount + (amount ?? 0) });
    if (job.pr !== null) {
      const pr = prs.get(`${repo}#${job.pr}`) ?? { repo, pr: job.pr, runs: 0, amount: 0 };
      prs.set(`${repo}#${job.pr}`, { ...pr, runs: pr.runs + 1, amount: pr.amount + (amount ?? 0) });
    }
  }
  const sortedRows = [...rows.values()].sort((a, b) => b.amount - a.amount || b.hours - a.hours || a.repo.localeCompare(b.repo) || a.runner.localeCompare(b.runner));
  const summary = {
    from,
    to,
    currency,
    runs: inPeriod.length,
    hours: sortedRows.reduce((sum, r) => sum + r.hours, 0),
    amount: sortedRows.reduce((sum, r) => sum + r.amount, 0),
    unestimated,
    rows: sortedRows,
    topPullRequests: [...prs.values()].filter((p) => p.amount > 0).sort((a, b) => b.amount - a.amount || a.repo.localeCompare(b.repo) || a.pr - b.pr).slice(0, 5),
  };
  if (params.monthlyBudget === undefined) return summary;
  const last = new Date(to - 1);
  const monthStart = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), 1);
  const daysInMonth = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 0)).getUTCDate();
  const monthToDate = params.jobs.filter((job) => ended(job, monthStart)).reduce((sum, job) => sum + (costOf(job, currency) ?? 0), 0);
  return { ...summary, budget: { monthly: params.monthlyBudget, monthStart, monthToDate, weekShare: (params.monthlyBudget * (to - from)) / (daysInMonth * 24 * HOUR_MS) } };
}

function wallMs(job: TrainJob): number {
  if (job.result?.resources) return job.result.resources.wallMs;
  return job.startedAt !== null && job.finishedAt !== null ? Math.max(0, job.finishedAt - job.startedAt) : 0;
}

function costOf(job: TrainJob, currency: string): number | undefined {
  const cost = job.result?.cost;
  return cost && cost.currency === currency ? cost.amount : undefined;
}

/** The last whole ISO week (Monday 00:00 UTC to the next) before `now`, and its label (`2026-W48`). */
export function previousWeek(now: Date): { from: number; to: number; label: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const sinceMonday = (new Date(today).getUTCDay() + 6) % 7;
  const to = today - sinceMonday * 24 * HOUR_MS;
  const from = to - 7 * 24 * HOUR_MS;
  return { from, to, label: isoWeekLabel(from) };
}

function isoWeekLabel(monday: number): string {
  // The ISO year is that of the week's Thursday; week 1 holds the year's first Thursday.
  const thursday = new Date(monday + 3 * 24 * HOUR_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 24 * HOUR_MS));
  return `${year}-W${String(week).padStart(2, "0")}`;
}
