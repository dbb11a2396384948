import type { LegendEntry, PhaseStatusMark } from "./backlog.js";
import { classifyStatusWords } from "./classify-status-words.js";
import { findStatusEmoji } from "./find-status-emoji.js";

/**
 * A paragraph under a phase heading whose first line reads `Status: …` (bold or not:
 * `**Status**: 🔄 In Progress`) -> the status it claims, by emoji first, else by words
 * (`Status: Complete`). Null for any other paragraph.
 */
export function readStatusLine(text: string, legend: readonly LegendEntry[], line: number): PhaseStatusMark | null {
  const match = /^\s*status\s*[:：-]?\s*(.*)$/i.exec(text.split(/\r?\n|\r/)[0] ?? "");
  if (!match) return null;
  const rest = match[1] ?? "";
  const emoji = findStatusEmoji(rest, legend);
  if (emoji) return { source: "status line", emoji: emoji.emoji, meaning: emoji.meaning, line };
  const meaning = classifyStatusWords(rest);
  return meaning ? { source: "status line", emoji: null, meaning, line } : null;
}
