import type { CostSummary } from "../../core/costs/summarize-costs.js";
import { formatMoney } from "./format-money.js";

export const COST_SUMMARY_MARKER = "<!-- mlops-bot:cost-summary -->";

/** The weekly cost summary as an issue comment: totals, by repository and runner, the top pull requests, the budget. Pure. */
export function renderCostSummary(summary: CostSummary): string {
  const money = (amount: number) => formatMoney(amount, summary.currency);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const lines = [
    COST_SUMMARY_MARKER,
    `### mlops-bot: training costs, ${day(summary.from)} to ${day(summary.to - 1)}`,
    "",
    `**${summary.runs}** training run${summary.runs === 1 ? "" : "s"}, **${hours(summary.hours)}** h, estimated **${money(summary.amount)}**.`,
  ];
  if (summary.unestimated) lines.push(`${summary.unestimated} of them ${summary.unestimated === 1 ? "has" : "have"} no estimate in ${summary.currency} (run by an older bot, or priced in another currency): counted in runs and hours only.`);
  if (summary.budget) {
    const { monthly, monthToDate, weekShare, monthStart } = summary.budget;
    const month = new Date(monthStart).toLocaleString("en", { month: "long", year: "numeric", timeZone: "UTC" });
    lines.push(
      "",
      `Budget: ${money(monthly)} a month. This week: ${percent(summary.amount, weekShare)} of a week's share (${money(weekShare)}); ${month} so far: ${money(monthToDate)}, ${percent(monthToDate, monthly)} of the month's.${monthToDate > monthly ? " ⚠️ Over budget." : ""}`,
    );
  }
  if (summary.rows.length) {
    lines.push("", "| Repository | Runner | Runs | Hours | Estimated cost |", "| --- | --- | ---: | ---: | ---: |");
    for (const r of summary.rows) lines.push(`| ${r.repo} | ${r.runner} | ${r.runs} | ${hours(r.hours)} | ${money(r.amount)} |`);
  }
  if (summary.topPullRequests.length) {
    lines.push("", "Most expensive pull requests:", "");
    summary.topPullRequests.forEach((p, i) => lines.push(`${i + 1}. ${p.repo}#${p.pr}: ${money(p.amount)} (${p.runs} run${p.runs === 1 ? "" : "s"})`));
  }
  lines.push("", "Estimates from each run's resources and the bot's price table (`MLOPS_PRICES`); the billing account's budget alerts are the truth (mlops-bot's docs/operations.md, Costs).");
  return lines.join("\n");
}

function hours(h: number): string {
  return h.toFixed(h >= 10 ? 1 : 2);
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : "—";
}
