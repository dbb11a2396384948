import type { SingleByteEncoding } from "../text/single-byte-encodings.js";
import type { Backlog, MarkRepair } from "./backlog.js";

/** The status marks of a backlog that were mis-encoded and read as what they were. */
export interface MarkRepairSummary {
  /** Items and phase statuses (heading emoji, `Status:` lines) whose mark was repaired. */
  readonly count: number;
  readonly encodings: readonly SingleByteEncoding[];
  /** Each distinct repair (written form -> read as), in order of their first line, with how often. */
  readonly marks: ReadonlyArray<MarkRepair & { readonly count: number }>;
  /** 1-based lines of the repaired marks, ascending, each once. */
  readonly lines: readonly number[];
}

/**
 * Backlog -> one summary of every mark that was mis-encoded on its way (`‚úÖ` for ✅, UTF-8 read
 * as Mac Roman) and counted as what it was; null when there is none. The progress comment shows
 * it once. A repaired legend is not counted: it only says what the marks mean.
 */
export function summarizeMarkRepairs(backlog: Backlog): MarkRepairSummary | null {
  const found: Array<{ repaired: MarkRepair; line: number }> = [];
  for (const phase of backlog.phases) {
    for (const status of phase.statuses) if (status.repaired) found.push({ repaired: status.repaired, line: status.line });
  }
  for (const item of backlog.items) if (item.repaired) found.push({ repaired: item.repaired, line: item.line });
  if (found.length === 0) return null;
  found.sort((a, b) => a.line - b.line);

  const marks = new Map<string, MarkRepair & { count: number }>();
  for (const { repaired } of found) {
    const key = `${repaired.encoding}\u0000${repaired.written}`;
    const seen = marks.get(key);
    if (seen) seen.count++;
    else marks.set(key, { ...repaired, count: 1 });
  }
  return {
    count: found.length,
    encodings: [...new Set(found.map((f) => f.repaired.encoding))],
    marks: [...marks.values()],
    lines: [...new Set(found.map((f) => f.line))].sort((a, b) => a - b),
  };
}
