import type { BacklogProgress } from "../../core/backlog/backlog-progress.js";
import { renderBacklogBar } from "./render-backlog-bar.js";
import { escapeBacklogText, renderBacklogItemLabel } from "./render-backlog-item-label.js";
import { codeSpan, renderBacklogRepairedMarks } from "./render-backlog-repaired-marks.js";
import { renderBacklogStatusIcon } from "./render-backlog-status-icon.js";

/** First line of the sticky progress comment: the bot finds its comment by it. */
export const BACKLOG_PROGRESS_MARKER = "<!-- mlops-bot:backlog -->";

const MAX_OPEN_ITEMS = 50;

/**
 * The sticky progress comment of a backlog issue: overall line, one table row per phase
 * (done / skipped / open and a bar), one note on mis-encoded status marks that were read as what
 * they were, status notes where a phase's emoji disagrees with its items, the open items folded
 * away, and parser warnings.
 */
export function renderBacklogProgress(params: { progress: BacklogProgress; issueNumber?: number }): string {
  const { progress, issueNumber } = params;
  const { overall } = progress;
  const lines = [BACKLOG_PROGRESS_MARKER, "### Backlog progress", ""];
  if (overall.total === 0) {
    lines.push("No checklist items found in this issue. Items are task-list lines such as `- [ ] 1.1: Do the thing`.");
  } else {
    lines.push(
      `**Overall:** \`${renderBacklogBar(overall.percent)}\` · ${overall.done} done · ${overall.skipped} skipped · ${overall.open} open (${overall.total} ${overall.total === 1 ? "item" : "items"})`,
      "",
      "| Phase | Done | Skipped | Open | Progress |",
      "| :-- | --: | --: | --: | :-- |",
      ...progress.phases.map(
        (p) =>
          `| ${renderBacklogStatusIcon(p)} ${escapeBacklogText(p.phase.title)} | ${p.counts.done} | ${p.counts.skipped} | ${p.counts.open} | ${p.counts.percent === null ? "—" : `\`${renderBacklogBar(p.counts.percent)}\``} |`,
      ),
    );
  }
  if (progress.repairedMarks) lines.push("", `**Mis-encoded marks:** ${renderBacklogRepairedMarks(progress.repairedMarks, codeSpan)}`);
  if (progress.mismatches.length > 0) {
    lines.push("", "**Status notes**", ...progress.mismatches.map((m) => `- ${escapeBacklogText(m.message)} (line ${m.line})`));
  }
  const open = progress.phases.filter((p) => p.openItems.length > 0);
  if (open.length > 0) {
    lines.push("", `<details><summary>Open items (${overall.open})</summary>`);
    let shown = 0;
    for (const p of open) {
      const items = p.openItems.slice(0, Math.max(0, MAX_OPEN_ITEMS - shown));
      if (items.length === 0) break;
      shown += items.length;
      lines.push("", `**${escapeBacklogText(p.phase.title)}**`, ...items.map((item) => `- ${renderBacklogItemLabel(item)}`));
    }
    if (overall.open > shown) lines.push("", `…and ${overall.open - shown} more.`);
    lines.push("", "</details>");
  }
  if (progress.warnings.length > 0) {
    lines.push("", "**Warnings**", ...progress.warnings.map((w) => `- ${w.line === null ? "" : `Line ${w.line}: `}${escapeBacklogText(w.message)}`));
  }
  const hint = issueNumber === undefined ? "`Completes #<issue> 2.6`" : `\`Completes #${issueNumber} 2.6\``;
  lines.push("", `<sub>Kept up to date by mlops-bot from this issue's checklist. A merged pull request that says ${hint} ticks item 2.6.</sub>`);
  return lines.join("\n");
}
