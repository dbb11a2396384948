import type { Backlog, BacklogItem } from "./backlog.js";
import type { BacklogProgress, PhaseProgress, StatusMismatch } from "./backlog-progress.js";
import { countItems } from "./count-items.js";
import { describeItem } from "./describe-item.js";
import { summarizeMarkRepairs } from "./summarize-mark-repairs.js";

/**
 * Backlog -> progress per phase and overall, and the phases whose status emoji disagrees with
 * their items: ✅ done with open items, 🔄 in progress with nothing open, ⏳ not started with
 * done items, ⏭️ skipped with open items. A phase without items contradicts nothing. Marks that
 * were mis-encoded and read as what they were are summed up in `repairedMarks`.
 */
export function computeBacklogProgress(backlog: Backlog): BacklogProgress {
  const phases = backlog.phases.map((phase): PhaseProgress => {
    const items = backlog.items.filter((i) => i.phaseIndex === phase.index);
    const counts = countItems(items);
    const actual = counts.total === 0 ? "empty" : counts.open === 0 ? "done" : counts.done === 0 ? "not-started" : "in-progress";
    return { phase, counts, actual, openItems: items.filter((i) => i.state === "open") };
  });
  return {
    phases,
    overall: countItems(backlog.items),
    mismatches: phases.flatMap(findMismatches),
    warnings: backlog.warnings,
    repairedMarks: summarizeMarkRepairs(backlog),
  };
}

function findMismatches(progress: PhaseProgress): StatusMismatch[] {
  const { phase, counts, actual, openItems } = progress;
  return phase.statuses.flatMap((status): StatusMismatch[] => {
    const claim = `${phase.title} is marked ${status.emoji ? `${status.emoji} ` : ""}${status.meaning.replace("-", " ")}${status.source === "status line" ? " on its Status line" : ""}`;
    let contradiction: string | null = null;
    if (actual === "empty") contradiction = null;
    else if (status.meaning === "done" && counts.open > 0) contradiction = `${openCount(counts.open, counts.total)}: ${listItems(openItems)}`;
    else if (status.meaning === "in-progress" && actual === "done") contradiction = `all ${counts.total} ${plural(counts.total, "item")} are done or skipped`;
    else if (status.meaning === "not-started" && counts.done > 0) contradiction = `${counts.done} of ${counts.total} ${plural(counts.total, "item")} ${counts.done === 1 ? "is" : "are"} done`;
    else if (status.meaning === "skipped" && counts.open > 0) contradiction = `${openCount(counts.open, counts.total)} (${listItems(openItems)}); mark them [⏭️] or [-] to count them as skipped`;
    if (contradiction === null) return [];
    return [{ phaseIndex: phase.index, source: status.source, emoji: status.emoji, claimed: status.meaning, actual, line: status.line, message: `${claim}, but ${contradiction}.` }];
  });
}

function openCount(open: number, total: number): string {
  return `${open} of ${total} ${plural(total, "item")} ${open === 1 ? "is" : "are"} open`;
}

function listItems(items: readonly BacklogItem[], max = 5): string {
  const shown = items.slice(0, max).map(describeItem).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
