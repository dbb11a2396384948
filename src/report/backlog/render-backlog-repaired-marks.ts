import type { MarkRepairSummary } from "../../core/backlog/summarize-mark-repairs.js";

const MAX_MARKS = 6;
const MAX_LINES = 12;

/**
 * The one note about mis-encoded status marks, e.g. `3 status marks were mis-encoded (UTF-8 read
 * as Mac Roman) and are counted as what they were: ‚úÖ as ✅ (2), ‚è≠Ô∏è as ⏭️ (1); lines 3, 4, 9.
 * …`. `code` wraps a mark as written (a code span in markdown); everything else is plain text
 * made of marks the parser knows, so it needs no escaping.
 */
export function renderBacklogRepairedMarks(summary: MarkRepairSummary, code: (text: string) => string = (t) => t): string {
  const { count, encodings, marks, lines } = summary;
  const what = count === 1 ? "1 status mark was" : `${count} status marks were`;
  const shownMarks = marks.slice(0, MAX_MARKS).map((m) => `${code(m.written)} as ${m.read} (${m.count})`);
  if (marks.length > MAX_MARKS) shownMarks.push(`${marks.length - MAX_MARKS} more`);
  const shownLines = lines.slice(0, MAX_LINES).join(", ") + (lines.length > MAX_LINES ? ` and ${lines.length - MAX_LINES} more` : "");
  return (
    `${what} mis-encoded (UTF-8 read as ${encodings.join(" and ")}) and ${count === 1 ? "is" : "are"} counted as what ${count === 1 ? "it was" : "they were"}: ` +
    `${shownMarks.join(", ")}; ${lines.length === 1 ? "line" : "lines"} ${shownLines}. ` +
    "The issue text is left as it is; retype these marks to make this note go away."
  );
}

/** A code span around a mark as written: visible, inert, and no backtick can end it early. */
export function codeSpan(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
