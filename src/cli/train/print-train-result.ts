import { writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import path from "node:path";
import { parseInline } from "../../core/limits/parse-repository-file.js";
import { stringifyPyJson } from "../../core/params/stringify-py-json.js";
import { toDvcValuesDiffJson } from "../../core/params/to-dvc-values-diff-json.js";
import { formatProblem } from "../../core/problem.js";
import { compareTraining, type TrainComparison } from "../../core/train/compare-training.js";
import { parseTrainingFiles } from "../../core/train/parse-training-files.js";
import { renderTrainReport, type TrainReport } from "../../report/train/render-train-report.js";
import type { CliIo } from "../cli-command.js";
import type { TrainTarget } from "./resolve-train-target.js";
import type { LocalTraining } from "./train-locally.js";

/** The local user's name for "requested by": never a GitHub login, so the report writes no @. */
export function localUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? "you";
  }
}

/** A finished local run -> its comparison with the base (the exit code's source) and the bot's train report. */
export async function reportLocalRun(params: {
  target: TrainTarget;
  local: LocalTraining;
  requestedBy: string;
  requesterIsLogin: boolean;
  checkUrl?: string | undefined;
}): Promise<{ comparison: TrainComparison; report: TrainReport }> {
  const { target, local } = params;
  const { result } = local;
  const state = result.outcome;
  const comparison = compareTraining({ state, result, parsed: await parseTrainingFiles(result, parseInline()), config: target.config });
  const job = { state, reason: state === "failed" ? "The pipeline failed." : null, requestedBy: params.requestedBy, headSha: target.headSha, baseRef: target.baseRef, baseSha: target.baseSha, pr: null };
  const report = renderTrainReport({ job, result, comparison, precision: target.config.report.precision, requesterIsLogin: params.requesterIsLogin, checkUrl: params.checkUrl });
  return { comparison, report };
}

/** The run as JSON: what ran, how it ended, metrics and params in `dvc ... diff --json` shapes, gates. */
export function renderTrainJson(params: { target: TrainTarget; local: LocalTraining; comparison: TrainComparison; report: TrainReport }): string {
  const { target, local, comparison } = params;
  return `${stringifyPyJson({
    head: target.headSha,
    base: { ref: target.baseRef, sha: target.baseSha, metrics_from: local.result.base.source },
    outcome: local.result.outcome,
    conclusion: comparison.conclusion,
    title: params.report.title,
    duration_s: Math.round(local.result.durationMs / 100) / 10,
    overrides: local.result.overrides.map((o) => ({ key: o.key, value: o.value })),
    metrics: comparison.ran ? toDvcValuesDiffJson(comparison.metrics) : {},
    params: toDvcValuesDiffJson(comparison.params),
    gates: comparison.gates.map((g) => ({ metric: g.metric, passed: g.passed, detail: g.detail })),
    problems: comparison.problems.map(formatProblem),
    failing_stage: local.result.failingStage ?? null,
    not_collected: local.result.outputNotes ?? [],
    run_dir: local.runDir,
  })}\n`;
}

/** Prints the report (text for the terminal, or JSON), writes the markdown file when asked; returns the comparison. */
export async function printTrainResult(params: { io: CliIo; target: TrainTarget; local: LocalTraining; json: boolean; markdown: string | undefined }): Promise<TrainComparison> {
  const { io, local, target } = params;
  const { comparison, report } = await reportLocalRun({ target, local, requestedBy: localUser(io.env), requesterIsLogin: false });
  if (params.json) io.out(renderTrainJson({ target, local, comparison, report }));
  else {
    const title = `# ${report.title}`;
    io.out(`\n${io.styled?.out ? paint(title, comparison.conclusion) : title}\n\n${report.summary}\n\nLog and results: ${local.runDir}\n`);
  }
  if (params.markdown) await writeFile(path.resolve(io.cwd, params.markdown), `## mlops-bot/train: ${report.title}\n\n${report.summary}\n`);
  return comparison;
}

function paint(text: string, conclusion: string): string {
  const colour = conclusion === "success" ? 32 : conclusion === "failure" ? 31 : 33;
  return `\u001b[1;${colour}m${text}\u001b[0m`;
}
