import type { BacklogProgress } from "../../core/backlog/backlog-progress.js";
import { renderBacklogBar } from "./render-backlog-bar.js";
import { renderBacklogRepairedMarks } from "./render-backlog-repaired-marks.js";
import { renderBacklogStatusIcon } from "./render-backlog-status-icon.js";

/**
 * The progress table for a terminal. The phase title comes last, so emoji and wide
 * characters in titles cannot break the alignment of the number columns.
 */
export function renderBacklogProgressText(params: { progress: BacklogProgress; source: string }): string {
  const { progress, source } = params;
  const { overall } = progress;
  if (overall.total === 0) return `${source}: no checklist items found.\n`;
  const row = (done: number, skipped: number, open: number, bar: string, label: string) =>
    `${String(done).padStart(6)}  ${String(skipped).padStart(7)}  ${String(open).padStart(4)}  ${bar.padEnd(15)}  ${label}`;
  const lines = [
    `Backlog progress: ${source}`,
    "",
    `${"Done".padStart(6)}  ${"Skipped".padStart(7)}  ${"Open".padStart(4)}  ${"Progress".padEnd(15)}  Phase`,
    ...progress.phases.map((p) => row(p.counts.done, p.counts.skipped, p.counts.open, renderBacklogBar(p.counts.percent), `${renderBacklogStatusIcon(p)} ${p.phase.title}`)),
    row(overall.done, overall.skipped, overall.open, renderBacklogBar(overall.percent), `Overall (${overall.total} ${overall.total === 1 ? "item" : "items"})`),
  ];
  if (progress.repairedMarks) lines.push("", `Mis-encoded marks: ${renderBacklogRepairedMarks(progress.repairedMarks)}`);
  if (progress.mismatches.length > 0) lines.push("", "Status notes:", ...progress.mismatches.map((m) => `  line ${m.line}: ${m.message}`));
  if (progress.warnings.length > 0) lines.push("", "Warnings:", ...progress.warnings.map((w) => `  ${w.line === null ? "" : `line ${w.line}: `}${w.message}`));
  return `${lines.join("\n")}\n`;
}
