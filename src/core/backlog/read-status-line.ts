import type { LegendEntry, PhaseStatusMark } from "./backlog.js";
import { classifyStatusWords } from "./classify-status-words.js";
import { findStatusEmojiRepairing } from "./find-status-emoji-repairing.js";

/**
 * A paragraph under a phase heading whose first line reads `Status: …` (bold or not:
 * `**Status**: 🔄 In Progress`) -> the status it claims, by emoji first, else by words
 * (`Status: Complete`); a mis-encoded emoji (`‚úÖ`) is read as what it was. Null for any other
 * paragraph.
 */
export function readStatusLine(text: string, legend: readonly LegendEntry[], line: number): PhaseStatusMark | null {
  const match = /^\s*status\s*[:：-]?\s*(.*)$/i.exec(text.split(/\r?\n|\r/)[0] ?? "");
  if (!match) return null;
  const rest = match[1] ?? "";
  const found = findStatusEmojiRepairing(rest, legend);
  if (found) {
    const { emoji, meaning } = found.match;
    return { source: "status line", emoji, meaning, line, ...(found.repaired ? { repaired: found.repaired } : {}) };
  }
  const meaning = classifyStatusWords(rest);
  return meaning ? { source: "status line", emoji: null, meaning, line } : null;
}
