import type { RepoConfig } from "../config/repo-config-schema.js";
import { evaluateGates, type GateResult } from "../core/gates/evaluate-gates.js";
import type { Job } from "../core/jobs/job.js";
import { diffMetrics } from "../core/metrics/diff-metrics.js";
import { diffParams } from "../core/params/diff-params.js";
import type { ParamsFile } from "../core/params/params-file.js";
import type { ParseOutcome } from "../core/limits/parse-repository-file.js";
import { isPyNumber, toJsNumber, type PyNumber } from "../core/params/py-number.js";
import type { ValueChange } from "../core/params/value-change.js";
import { formatProblem } from "../core/problem.js";
import type { ParsedTrainingFiles } from "../core/train/parse-training-files.js";
import type { TrainingResult } from "../jobs/run-training.js";
import type { CheckConclusion } from "../ports/code-host.js";
import { renderMetricsTable } from "./render-metrics-table.js";
import { renderParamsTable } from "./render-params-table.js";

export const TRAIN_MARKER = "<!-- mlops-bot:train -->";

export interface TrainReport {
  readonly conclusion: CheckConclusion;
  readonly title: string;
  /** Check-run summary: the full report. */
  readonly summary: string;
  /** Check-run text: the log tail of a failure, and where everything is stored. */
  readonly text: string;
  /** The sticky PR comment: the short version. */
  readonly comment: string;
  /** The metric rows, for callers that check numbers (CLI exit code, tests). */
  readonly metrics: readonly ValueChange[];
  readonly gates: readonly GateResult[];
}

/**
 * A finished training job -> what GitHub (or the terminal) shows: conclusion, title, the metrics
 * table shaped like `dvc metrics diff`, the params table like `dvc params diff`, gates, run time,
 * the commit and who asked. Pure.
 */
export function renderTrainReport(params: {
  job: Pick<Job, "state" | "reason" | "requestedBy" | "headSha" | "baseRef" | "pr">;
  result: TrainingResult | null;
  /** The result's params and metrics files, parsed (`parseTrainingFiles`). */
  parsed: ParsedTrainingFiles | undefined;
  config: Pick<RepoConfig, "gates" | "report">;
  checkUrl?: string | undefined;
}): TrainReport {
  const { job, result, config } = params;
  const precision = config.report.precision;
  const short = job.headSha.slice(0, 7);
  const who = `requested by @${job.requestedBy}`;
  const problems: string[] = [];
  const parsed = params.parsed;
  const files = (outcomes: ReadonlyMap<string, ParseOutcome<"metrics" | "params">>) => valuesOf(outcomes, problems);

  const metrics = result && parsed ? diffMetrics({ base: files(parsed.base.metrics), head: files(parsed.head.metrics), all: true }) : [];
  const paramChanges = result && parsed ? diffParams({ base: files(parsed.base.params), head: files(parsed.head.params) }) : [];
  const ran = job.state === "succeeded" && result?.outcome === "succeeded";
  const gates = ran ? evaluateGates({ gates: config.gates, metrics, precision }) : [];
  const failedGates = gates.filter((g) => !g.passed);

  const conclusion: CheckConclusion =
    job.state === "succeeded" ? (failedGates.length ? "failure" : "success") : job.state === "timed_out" ? "timed_out" : job.state === "cancelled" ? "cancelled" : "failure";
  const title = titleFor({ job, result, failedGates, metrics, precision });

  const baseLabel = baseLabelFor(result);
  const lines: string[] = [];
  const duration = result ? ` in ${formatDuration(result.durationMs)}` : "";
  lines.push(`**${verb(job.state)} \`${short}\`**${job.pr ? ` for #${job.pr}` : ""}, ${who}${duration}.`);
  if (result?.overrides.length) lines.push(`Overrides: ${result.overrides.map((o) => `\`${o.key}=${String(o.value)}\``).join(", ")}`);
  if (job.state !== "succeeded" && job.reason) lines.push("", job.reason);
  if (result?.outcome === "failed") {
    lines.push("", `The pipeline failed${result.failingStage ? ` in stage \`${result.failingStage}\`` : ""}${result.error ? `: ${result.error}` : "."} Its last lines:`);
    lines.push("", "```", ...lastLines(result.logTail, 25), "```");
  }
  if (metrics.length) lines.push("", `### Metrics (base: ${baseLabel})`, "", renderMetricsTable(metrics, { precision }).trimEnd());
  else if (ran) lines.push("", "### Metrics", "", "The run produced no metrics files matching `pipeline.metrics`.");
  if (gates.length) lines.push("", "### Gates", "", ...gates.map((g) => `- ${g.passed ? "✅" : "❌"} ${g.detail}`));
  if (paramChanges.length) lines.push("", "### Params", "", renderParamsTable(paramChanges).trimEnd());
  if (problems.length) lines.push("", "### Could not read", "", ...problems.map((p) => `- ${p}`));
  if (result?.outputNotes?.length) lines.push("", "### Not collected", "", ...result.outputNotes.map((n) => `- ${n}`));

  const text = result
    ? [
        `Log: \`${result.logKey}\` in the artifact store.`,
        result.artifacts.length > 1 ? `Stored: ${result.artifacts.filter((a) => a !== result.logKey).map((a) => `\`${a}\``).join(", ")}` : "",
        result.outcome !== "failed" && result.logTail.length ? ["", "Last lines of the log:", "", "```", ...lastLines(result.logTail, 15), "```"].join("\n") : "",
      ]
        .filter(Boolean)
        .join("\n")
    : "";

  const icon = conclusion === "success" ? "🚀" : conclusion === "cancelled" ? "⏹️" : conclusion === "timed_out" ? "⏱️" : "❌";
  const comment = [
    TRAIN_MARKER,
    `### ${icon} mlops-bot/train: ${title}`,
    "",
    metrics.length ? renderMetricsTable(metrics, { precision }).trimEnd() : job.reason && job.state !== "succeeded" ? job.reason : "",
    failedGates.length ? `\n${failedGates.map((g) => `❌ ${g.detail}`).join("  \n")}` : "",
    "",
    `Commit \`${short}\`, ${who}${duration}.${params.checkUrl ? ` [Full report](${params.checkUrl})` : ""}`,
  ]
    .filter((l, i, all) => l !== "" || all[i - 1] !== "")
    .join("\n");

  return { conclusion, title, summary: lines.join("\n"), text, comment, metrics, gates };
}

function titleFor(p: {
  job: Pick<Job, "state" | "reason">;
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
  if (base.source === "commit") return `\`${base.ref ?? "base"}\`${at}, committed metrics`;
  if (base.source === "run") return `\`${base.ref ?? "base"}\`${at}, last successful run`;
  return "no metrics on the base yet";
}

function valuesOf(outcomes: ReadonlyMap<string, ParseOutcome<"metrics" | "params">>, problems: string[]): Map<string, ParamsFile | undefined> {
  const out = new Map<string, ParamsFile | undefined>();
  for (const [file, parsed] of outcomes) {
    if (parsed.ok) out.set(file, parsed.value);
    else problems.push(...parsed.error.map(formatProblem));
  }
  return out;
}

function verb(state: Job["state"]): string {
  return state === "succeeded" ? "Trained" : state === "cancelled" ? "Cancelled training of" : state === "timed_out" ? "Timed out training" : "Failed to train";
}

function lastLines(lines: readonly string[], n: number): string[] {
  return lines.slice(-n).map((l) => l.replace(/```/g, "ˋˋˋ"));
}

function firstSentence(text: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return (m?.[1] ?? text).replace(/[.]$/, "");
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
