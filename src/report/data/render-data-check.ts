import type { DataCheck } from "../../core/dvc/build-data-check.js";
import { judgeDataCheck } from "../../core/dvc/judge-data-check.js";
import type { ValueChange } from "../../core/params/value-change.js";
import { formatProblem } from "../../core/problem.js";
import type { CheckConclusion } from "../../ports/code-host.js";
import { CHECK_RUN_TEXT_LIMIT } from "../format/fit-check-run-output.js";
import { neutralizeUserText } from "../format/neutralize-user-text.js";
import { renderUntrustedCode } from "../format/render-untrusted-text.js";
import { renderDataDiff } from "./render-data-diff.js";
import { renderDataSummary } from "./render-data-summary.js";
import { renderMarkdownCell } from "../format/render-markdown-cell.js";
import { renderMetricsTable } from "../train/render-metrics-table.js";
import { renderParamsTable } from "../train/render-params-table.js";

export interface DataCheckReport {
  readonly conclusion: CheckConclusion;
  readonly title: string;
  /** The check run's summary: every table, within `limit` bytes. */
  readonly summary: string;
}

export interface RenderDataCheckOptions {
  /** Bytes the summary may take (GitHub: 65,535). */
  readonly limit?: number;
  /** File rows shown before `… N more` (fewer when the limit needs it). */
  readonly maxFileRows?: number;
  /** Params and metrics rows shown before `… N more`. */
  readonly maxValueRows?: number;
}

/**
 * The data check -> the `mlops-bot/data` check run: conclusion (see `judgeDataCheck`), a title
 * that is the summary line (`2 datasets changed: +1,204 files, -3 files, 17 modified, +48.2 MB`),
 * and a summary with the datasets and files tables (cut with a count of what was left out), the
 * params and metrics diffs, and every problem with its file and line. Never over `limit`. Pure.
 */
export function renderDataCheck(params: {
  check: DataCheck;
  base: { ref: string | null; sha: string };
  head: { ref: string | null; sha: string };
  /** Who or what asked, e.g. `pull_request.synchronize` or `/diff from @octocat`. */
  trigger: string;
  options?: RenderDataCheckOptions;
}): DataCheckReport {
  const { check, base, head } = params;
  const limit = params.options?.limit ?? CHECK_RUN_TEXT_LIMIT;
  const maxValueRows = params.options?.maxValueRows ?? 100;
  const verdict = judgeDataCheck(check);
  // A branch name is the pull request's: neutralised like any user text, and fenced in code (it may hold backticks).
  const baseLabel = neutralizeUserText(base.ref ?? base.sha.slice(0, 7));
  const headLabel = neutralizeUserText(head.ref ?? head.sha.slice(0, 7));
  const code = (label: string) => renderUntrustedCode(label, { max: 100 });
  const intro = `Comparing ${code(baseLabel)} (\`${base.sha.slice(0, 7)}\`) → ${code(headLabel)} (\`${head.sha.slice(0, 7)}\`), as \`dvc diff\`, \`dvc params diff\` and \`dvc metrics diff\` would. Asked by ${params.trigger}.`;

  if (check.roots.length === 0) {
    return {
      conclusion: verdict.conclusion,
      title: "No DVC-tracked data",
      summary: `${intro}\n\nNothing is tracked by DVC in either version (no \`.dvc/config\` anywhere in the tree), so there is no data, params or metrics diff to show.\n`,
    };
  }

  const paramsTable = capped(check.params, maxValueRows, "param", (rows) => renderParamsTable(rows, { baseLabel, headLabel }));
  const metricsTable = capped(check.metrics, maxValueRows, "metric", (rows) => renderMetricsTable(rows, { baseLabel, headLabel }));
  const before = [intro, ""];
  if (verdict.conclusion === "failure") before.push(`**❌ ${neutralizeUserText(verdict.because ?? "")}.** DVC cannot use these files either: fix them and push again. Everything else is still reported below.`, "");
  before.push("### Data", "");
  const after = ["", "### Params", "", paramsTable || "No parameter changes.", "", "### Metrics (committed files)", "", metricsTable || "No metric changes."];
  if (check.problems.length > 0) {
    after.push("", "### ⚠️ Other problems", "");
    for (const p of check.problems.slice(0, 20)) after.push(`- ${p.side}: ${renderMarkdownCell(formatProblem(p.problem))}`);
    if (check.problems.length > 20) after.push(`- … ${check.problems.length - 20} more`);
  }
  if (check.data.notInCache.length > 0) {
    after.push("", "A manifest not in cache: the bot reads `.dir` manifests from the default remote in the base's `.dvc/config`; `dvc push` the data of this branch, or check that remote.");
  }
  after.push("");

  // The data section gets what the rest leaves, measured in bytes (GitHub's limit counts characters;
  // bytes are never fewer), shrinking until the whole fits.
  const fixed = Buffer.byteLength(before.join("\n")) + Buffer.byteLength(after.join("\n")) + 2;
  let budget = Math.max(200, limit - fixed - 64);
  let summary = "";
  for (let attempt = 0; attempt < 8; attempt++) {
    const data = renderDataDiff(check.data, { maxLength: budget, maxFileRows: params.options?.maxFileRows ?? 200 }).trimEnd();
    summary = [...before, data, ...after].join("\n");
    const over = Buffer.byteLength(summary) - limit;
    if (over <= 0 || budget <= 200) break;
    budget = Math.max(200, budget - over - 256);
  }

  const title = [renderDataSummary(check.data).replace(/\.$/, ""), valueCount(check.params, "param"), valueCount(check.metrics, "metric"), verdict.because]
    .filter(Boolean)
    .join(" · ");
  return { conclusion: verdict.conclusion, title, summary };
}

function capped(rows: readonly ValueChange[], max: number, word: string, render: (rows: readonly ValueChange[]) => string): string {
  const table = render(rows.slice(0, max)).trimEnd();
  if (rows.length <= max) return table;
  const left = rows.length - max;
  return `${table}\n\n… ${left.toLocaleString("en-US")} more ${left === 1 ? word : `${word}s`} changed, not shown.`;
}

function valueCount(rows: readonly ValueChange[], word: string): string | undefined {
  return rows.length === 0 ? undefined : `${rows.length.toLocaleString("en-US")} ${rows.length === 1 ? word : `${word}s`} changed`;
}
