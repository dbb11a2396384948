import type { DataChange, DataReport, DatasetChange } from "../../core/dvc/data-report.js";
import { formatProblem } from "../../core/problem.js";
import { renderByteSize } from "../format/render-byte-size.js";
import { renderDataSummary } from "./render-data-summary.js";
import { renderCodeCell, renderMarkdownCell } from "../format/render-markdown-cell.js";

export interface RenderDataDiffOptions {
  /** Hard bound on the whole output (GitHub check-run text allows 65,535). */
  readonly maxLength?: number;
  /** File rows shown at most before `… N more`; lowered further to fit `maxLength`. */
  readonly maxFileRows?: number;
}

const KIND_ICON: Record<DataChange["kind"], string> = { added: "➕ added", deleted: "➖ deleted", modified: "✏️ modified", renamed: "🔀 renamed" };

/**
 * The data report as markdown: the summary line, a table of changed datasets, the file-level
 * changes (cut after `maxFileRows` rows with a count of the rest), manifests that could not be
 * read, and problems. Never longer than `maxLength`. Paths are repository-relative.
 */
export function renderDataDiff(report: DataReport, options: RenderDataDiffOptions = {}): string {
  const maxLength = options.maxLength ?? 60_000;
  let rows = Math.min(options.maxFileRows ?? 100, report.changes.length);
  for (;;) {
    const text = compose(report, rows);
    if (text.length <= maxLength) return text;
    if (rows === 0) return truncate(text, maxLength);
    rows = Math.floor(rows / 2);
  }
}

function compose(report: DataReport, fileRows: number): string {
  const out: string[] = [`**${renderDataSummary(report)}**`];
  if (report.datasets.length > 0) {
    out.push("", "| Dataset | Change | Files | Size |", "| --- | --- | --- | --- |");
    for (const d of report.datasets) out.push(datasetRow(d));
  }
  const files = report.changes.filter((c) => !c.isDir);
  if (files.length > 0) {
    const shown = files.slice(0, fileRows);
    out.push("", `<details><summary>${files.length.toLocaleString("en-US")} file ${files.length === 1 ? "change" : "changes"}</summary>`, "", "| Change | Path |", "| --- | --- |");
    for (const c of shown) out.push(`| ${KIND_ICON[c.kind]} | ${c.kind === "renamed" ? `${renderCodeCell(repoPath(c.root, c.oldPath!))} → ${renderCodeCell(repoPath(c.root, c.path))}` : renderCodeCell(repoPath(c.root, c.path))} |`);
    if (files.length > shown.length) out.push(`| … | ${(files.length - shown.length).toLocaleString("en-US")} more not shown |`);
    out.push("", "</details>");
  }
  if (report.notInCache.length > 0) {
    out.push("", `⚠️ Not in the DVC cache or remote, so listed without their files:`);
    for (const m of report.notInCache) out.push(`- ${renderCodeCell(repoPath(m.root, m.path))} at ${m.side} (\`${m.hash}\`${m.reason === "invalid" ? ", invalid manifest" : m.reason === "unreadable" ? ", could not be read" : ""})`);
  }
  if (report.problems.length > 0) {
    out.push("", "⚠️ Problems:");
    for (const p of report.problems.slice(0, 20)) out.push(`- ${p.side}: ${renderMarkdownCell(formatProblem(p.problem))}`);
    if (report.problems.length > 20) out.push(`- … ${report.problems.length - 20} more`);
  }
  return out.join("\n") + "\n";
}

function datasetRow(d: DatasetChange): string {
  const path = d.kind === "renamed" ? `${renderCodeCell(repoPath(d.root, d.oldPath!))} → ${renderCodeCell(repoPath(d.root, d.path))}` : renderCodeCell(repoPath(d.root, d.path));
  const f = d.files;
  const counts = [f.added && `+${f.added.toLocaleString("en-US")}`, f.deleted && `-${f.deleted.toLocaleString("en-US")}`, f.modified && `${f.modified.toLocaleString("en-US")} modified`, f.renamed && `${f.renamed.toLocaleString("en-US")} renamed`].filter(Boolean).join(", ");
  const files = d.complete ? counts || "–" : "unknown (not in cache)";
  const size =
    d.sizeDelta === undefined
      ? "unknown"
      : d.oldSize !== undefined && d.newSize !== undefined && d.kind === "modified"
        ? `${renderByteSize(d.sizeDelta, { signed: true })} (${renderByteSize(d.oldSize)} → ${renderByteSize(d.newSize)})`
        : renderByteSize(d.sizeDelta, { signed: true });
  return `| ${path}${d.isDir ? " 📁" : ""} | ${KIND_ICON[d.kind]} | ${files} | ${size} |`;
}

function repoPath(root: string, path: string): string {
  return root === "" ? path : `${root}/${path}`;
}

function truncate(text: string, maxLength: number): string {
  const note = "\n\n… (cut to fit)\n";
  return text.slice(0, Math.max(0, maxLength - note.length)) + note;
}
