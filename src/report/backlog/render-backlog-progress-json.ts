import type { Backlog, BacklogItem } from "../../core/backlog/backlog.js";
import type { BacklogProgress } from "../../core/backlog/backlog-progress.js";

/**
 * Backlog and progress as pretty-printed JSON for scripts: phases with counts and open
 * items, overall counts, notes, warnings and every item (without source offsets).
 */
export function renderBacklogProgressJson(params: { source: string; backlog: Backlog; progress: BacklogProgress }): string {
  const { source, backlog, progress } = params;
  const item = (i: BacklogItem) => ({ line: i.line, state: i.state, mark: i.mark, ...(i.repaired ? { repaired: i.repaired } : {}), role: i.role, number: i.number, title: i.title, phase: i.phaseIndex });
  const value = {
    source,
    overall: progress.overall,
    phases: progress.phases.map((p) => ({
      index: p.phase.index,
      number: p.phase.number,
      title: p.phase.title,
      name: p.phase.name,
      line: p.phase.line,
      statuses: p.phase.statuses,
      actual: p.actual,
      ...p.counts,
      openItems: p.openItems.map(item),
    })),
    mismatches: progress.mismatches.map((m) => ({ phase: m.phaseIndex, source: m.source, emoji: m.emoji, claimed: m.claimed, actual: m.actual, line: m.line, message: m.message })),
    warnings: progress.warnings,
    repairedMarks: progress.repairedMarks,
    legend: backlog.legend,
    items: backlog.items.map(item),
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}
