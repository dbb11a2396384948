import type { GateResult } from "../../core/gates/evaluate-gates.js";
import type { JobFields } from "../../core/jobs/job.js";
import { TRAIN_MARKER } from "../../core/jobs/train-job.js";
import { isPyNumber, toJsNumber, type PyNumber } from "../../core/params/py-number.js";
import type { ValueChange } from "../../core/params/value-change.js";
import { formatProblem } from "../../core/problem.js";
import type { TrainComparison } from "../../core/train/compare-training.js";
import type { TrainingResult } from "../../core/train/training-result.js";
import { formatDuration } from "../format/format-duration.js";
import { renderHtmlCode } from "../format/render-html-code.js";
import { CHECK_RUN_TEXT_LIMIT } from "../format/fit-check-run-output.js";
import { renderPlotSection, utf8Length } from "../plots/render-plot-section.js";
import { renderUntrustedCode } from "../format/render-untrusted-text.js";
import { neutralizeUserText } from "../format/neutralize-user-text.js";
import { renderOverrides } from "./render-overrides.js";
import { renderRunCost, type PullRequestCost } from "../costs/render-run-cost.js";
import { renderMetricsTable } from "./render-metrics-table.js";
import { renderParamsTable } from "./render-params-table.js";

export interface TrainReport {
  readonly title: string;
  /** Check-run summary: the full report. */
  readonly summary: string;
  /** Check-run text: the log tail of a failure, and where everything is stored. */
  readonly text: string;
  /** The sticky PR comment: the short version. */
  readonly comment: string;
}

/** What the train report is made from. */
export interface TrainReportInput {
  job: Pick<JobFields, "state" | "reason" | "requestedBy" | "headSha" | "baseRef" | "baseSha" | "pr">;
  result: TrainingResult | null;
  comparison: TrainComparison;
  precision: number;
  /** The check run's page, as GitHub returns it (`html_url`): the comment's "Full report" link. */
  checkUrl?: string | undefined;
  /** The job's signed page (live log, interactive plots, artifacts). */
  pageUrl?: string | undefined;
  /** Whether `requestedBy` is a GitHub login (written `@login`); a local user name is not (default true). */
  requesterIsLogin?: boolean | undefined;
  /** The pull request's estimated cost so far, this run included. */
  prCost?: PullRequestCost | undefined;
}

/**
 * A finished training job and its comparison with the base -> what GitHub (or the terminal)
 * shows: title, the metrics table shaped like `dvc metrics diff`, the params table like `dvc
 * params diff`, gates, run time, the commit and who asked. Pure: it decides nothing (the
 * conclusion is the comparison's, `compareTraining`).
 */
export function renderTrainReport(params: TrainReportInput): TrainReport {
  return { ...renderTrainCheck(params), comment: renderTrainComment(params) };
}

/** The check run's part of the report: its title, the full summary and the text (log, stored files). */
export function renderTrainCheck(params: TrainReportInput): Omit<TrainReport, "comment"> {
  const { job, result, precision } = params;
  const { metrics, gates, ran } = params.comparison;
  const paramChanges = params.comparison.params;
  const problems = params.comparison.problems.map((p) => neutralizeUserText(formatProblem(p)));
  const short = job.headSha.slice(0, 7);

  const baseLabel = baseLabelFor(result);
  const lines: string[] = [];
  const duration = result ? ` in ${formatDuration(result.durationMs)}` : "";
  lines.push(`**${verb(job.state)} \`${short}\`**${job.pr ? ` for #${job.pr}` : ""}, ${whoOf(params)}${duration}.`);
  if (result?.overrides.length) lines.push(`Overrides: ${renderOverrides(result.overrides)}`);
  const cost = renderRunCost({ resources: result?.resources, cost: result?.cost, pr: params.prCost });
  if (cost.summary) lines.push(cost.summary);
  if (job.state !== "succeeded" && job.reason) lines.push("", job.reason);
  if (result?.outcome === "failed") {
    lines.push("", neutralizeUserText(`The pipeline failed${result.failingStage ? ` in stage \`${result.failingStage}\`` : ""}${result.error ? `: ${result.error}` : "."} Its last lines:`));
    lines.push("", "```", ...lastLines(result.logTail, 25), "```");
  }
  // Only a run that ended has metrics to show: a failed or stopped one would show a table of base values and blanks.
  if (ran && metrics.length) lines.push("", `### Metrics (base: ${baseLabel})`, "", renderMetricsTable(metrics, { precision }).trimEnd());
  else if (ran) lines.push("", "### Metrics", "", "The run produced no metrics files matching `pipeline.metrics`.");
  if (gates.length) lines.push("", "### Gates", "", ...gates.map((g) => `- ${g.passed ? "✅" : "❌"} ${g.detail}`));
  if (paramChanges.length) lines.push("", "### Params", "", renderParamsTable(paramChanges).trimEnd());
  if (problems.length) lines.push("", "### Could not read", "", ...problems.map((p) => `- ${p}`));
  if (result?.outputNotes?.length) lines.push("", "### Not collected", "", ...result.outputNotes.map((n) => `- ${neutralizeUserText(n)}`));
  const mlflow = renderMlflowLinks(result);
  if (mlflow) lines.splice(1, 0, mlflow);
  if (result?.mlflow?.problem) lines.push("", neutralizeUserText(result.mlflow.problem));
  if (result?.plots) {
    const sides = { base: job.baseRef ? `${refCode(job.baseRef)}${job.baseSha ? ` @ \`${job.baseSha.slice(0, 7)}\`` : ""}` : "base", head: `\`${short}\`` };
    const budget = SUMMARY_BUDGET - utf8Length(lines.join("\n"));
    const section = renderPlotSection({ comparison: result.plots, sides, budget, heading: "### Plots", pageUrl: params.pageUrl, maxPlots: 30 });
    if (section.markdown) lines.push("", section.markdown);
  }
  return { title: titleOf(params), summary: lines.join("\n"), text: renderCheckText(result) };
}

/** Check-run text: where the log and artifacts are stored, and the log's last lines. */
function renderCheckText(result: TrainingResult | null): string {
  if (!result) return "";
  return [
    `Log: \`${result.logKey}\` in the artifact store.`,
    result.artifacts.length > 1 ? `Stored: ${result.artifacts.filter((a) => a !== result.logKey).map((a) => `\`${a}\``).join(", ")}` : "",
    result.outcome !== "failed" && result.logTail.length ? ["", "Last lines of the log:", "", "```", ...lastLines(result.logTail, 15), "```"].join("\n") : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/** The sticky PR comment: the short version, linking the check run, the job page and the MLflow run. */
export function renderTrainComment(params: TrainReportInput): string {
  const { job, result, precision } = params;
  const { metrics, ran, conclusion } = params.comparison;
  const failedGates = params.comparison.gates.filter((g) => !g.passed);
  const short = job.headSha.slice(0, 7);
  const duration = result ? ` in ${formatDuration(result.durationMs)}` : "";
  const cost = renderRunCost({ resources: result?.resources, cost: result?.cost, pr: params.prCost });
  const icon = conclusion === "success" ? "🚀" : conclusion === "cancelled" ? "⏹️" : conclusion === "timed_out" ? "⏱️" : "❌";
  const links = [params.checkUrl ? `[Full report](${params.checkUrl})` : "", params.pageUrl ? `[Job page](${params.pageUrl})` : "", renderMlflowLinks(result)].filter(Boolean).join(" · ");
  const commentParts = [
    TRAIN_MARKER,
    `### ${icon} mlops-bot/train: ${neutralizeUserText(titleOf(params))}`,
    "",
    ran && metrics.length ? renderMetricsTable(metrics, { precision }).trimEnd() : job.reason && job.state !== "succeeded" ? job.reason : "",
    failedGates.length ? `\n${failedGates.map((g) => `❌ ${g.detail}`).join("  \n")}` : "",
    "",
    `Commit \`${short}\`, ${whoOf(params)}${duration}.${cost.comment ? ` ${cost.comment}` : ""}${links ? ` ${links}` : ""}`,
  ];
  if (result?.plots) {
    const sides = { base: job.baseRef ? `${refCode(job.baseRef)}${job.baseSha ? ` @ \`${job.baseSha.slice(0, 7)}\`` : ""}` : "base", head: `\`${short}\`` };
    const budget = COMMENT_BUDGET - utf8Length(commentParts.join("\n"));
    const section = renderPlotSection({ comparison: result.plots, sides, budget: budget - 60, heading: "", pageUrl: params.pageUrl, maxPlots: 8 });
    // GitHub reads the <summary> line as HTML, not markdown: the branch name is escaped as HTML there.
    const htmlSide = job.baseRef ? `${renderHtmlCode(job.baseRef)}${job.baseSha ? ` @ <code>${job.baseSha.slice(0, 7)}</code>` : ""}` : "base";
    if (section.markdown) commentParts.splice(5, 0, "", `<details open><summary><b>Plots</b>: base ${htmlSide} against head <code>${short}</code></summary>${section.markdown}\n\n</details>`);
  }
  return commentParts.filter((l, i, all) => l !== "" || all[i - 1] !== "").join("\n");
}

function titleOf(params: TrainReportInput): string {
  const { metrics, gates } = params.comparison;
  return titleFor({ job: params.job, result: params.result, failedGates: gates.filter((g) => !g.passed), metrics, precision: params.precision });
}

function whoOf(params: TrainReportInput): string {
  return `requested by ${params.requesterIsLogin === false ? "" : "@"}${params.job.requestedBy}`;
}

/** Room for the report in a check run's summary (GitHub: 65,535) and a comment (65,536), with a margin. */
const SUMMARY_BUDGET = CHECK_RUN_TEXT_LIMIT - 1500;
const COMMENT_BUDGET = 65_536 - 1500;

/** `MLflow: [run](url) · [compared with the base run](url)`, when the job logged to a run. */
function renderMlflowLinks(result: TrainingResult | null): string {
  const run = result?.mlflow;
  if (!run) return "";
  const compare = run.compareUrl ? ` · [compared with the base run](${run.compareUrl})` : "";
  return `MLflow: [run](${run.runUrl})${compare}`;
}

function titleFor(p: {
  job: Pick<JobFields, "state" | "reason">;
  result: TrainingResult | null;
  failedGates: readonly GateResult[];
  metrics: readonly ValueChange[];
  precision: number;
}): string {
  const { job, result } = p;
  if (job.state === "timed_out") return `Timed out${result ? ` after ${formatDuration(result.durationMs)}` : ""}`;
  if (job.state === "cancelled") return `Cancelled${job.reason ? `: ${firstSentence(job.reason)}` : ""}`;
  if (job.state === "failed") {
    if (result?.outcome === "failed") return `Pipeline failed${result.failingStage ? ` in stage '${result.failingStage}'` : ""}`;
    return `Failed${job.reason ? `: ${firstSentence(job.reason)}` : ""}`;
  }
  if (p.failedGates.length) return `Gate failed: ${p.failedGates.map((g) => g.detail).join("; ")}`;
  const first = p.metrics.find((m) => isPyNumber(m.new));
  if (!first) return "Trained";
  const value = Number(toJsNumber(first.new as PyNumber).toFixed(p.precision));
  const diff = first.diff === undefined ? 0 : toJsNumber(first.diff);
  const change = diff !== 0 ? ` (${diff > 0 ? "+" : ""}${Number(diff.toFixed(p.precision))})` : "";
  return `${first.key} ${value}${change}`;
}

function baseLabelFor(result: TrainingResult | null): string {
  if (!result) return "none";
  const { base } = result;
  const at = base.sha ? ` @ \`${base.sha.slice(0, 7)}\`` : "";
  if (base.source === "commit") return `${refCode(base.ref ?? "base")}${at}, committed metrics`;
  if (base.source === "run") return `${refCode(base.ref ?? "base")}${at}, last successful run`;
  return "no metrics on the base yet";
}

function verb(state: JobFields["state"]): string {
  return state === "succeeded" ? "Trained" : state === "cancelled" ? "Cancelled training of" : state === "timed_out" ? "Timed out training" : "Failed to train";
}

/** A branch name as inline code: git allows backticks, `<`, `@` and `[` in one, so it is fenced like any untrusted text. */
function refCode(ref: string): string {
  return renderUntrustedCode(ref, { max: 100 });
}

function lastLines(lines: readonly string[], n: number): string[] {
  return lines.slice(-n).map((l) => l.replace(/```/g, "ˋˋˋ"));
}

function firstSentence(text: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return (m?.[1] ?? text).replace(/[.]$/, "");
}

