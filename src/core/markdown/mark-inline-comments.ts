import { ASCII_PUNCTUATION as PUNCTUATION } from "./block-syntax.js";

/**
 * Marks the lines of a paragraph covered by inline HTML comments (`<!-- ... -->`, CommonMark
 * 0.31: also `<!-->` and `<!--->`), as an inline reader finds them: left to right, after
 * backslash escapes and code spans (a backtick run closed by the next run of the same length).
 * Linear: each backtick run and each character is looked at a bounded number of times.
 */
export function markInlineComments(lines: ReadonlyArray<{ readonly line: number; readonly text: string }>, hidden: Set<number>): void {
  const text = lines.map((l) => l.text).join("\n");
  if (!text.includes("<!--")) return;
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += l.text.length + 1;
  }
  const lineAt = (pos: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lines[lo]!.line;
  };
  const closers = backtickRuns(text);
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") i += PUNCTUATION.test(text[i + 1] ?? "") ? 2 : 1;
    else if (c === "`") {
      let k = 1;
      while (text[i + k] === "`") k++;
      const close = closers.next(k, i + k);
      i = close === undefined ? i + k : close + k;
    } else if (c === "<" && text.startsWith("<!--", i)) {
      const end = text.startsWith("<!-->", i) ? i + 5 : text.startsWith("<!--->", i) ? i + 6 : endOf(text, i + 4);
      if (end === undefined) return; // no `-->` after this one: no later comment closes either
      for (let line = lineAt(i); line <= lineAt(end - 1); line++) hidden.add(line);
      i = end;
    } else i++;
  }
}

function endOf(text: string, from: number): number | undefined {
  const at = text.indexOf("-->", from);
  return at < 0 ? undefined : at + 3;
}

/** The backtick runs of a text by length; `next(k, from)` is the start of the first run of length `k` at or after `from`. */
function backtickRuns(text: string): { next: (k: number, from: number) => number | undefined } {
  const byLength = new Map<number, { starts: number[]; at: number }>();
  for (let i = 0; i < text.length; ) {
    if (text[i] !== "`") {
      i++;
      continue;
    }
    let k = 1;
    while (text[i + k] === "`") k++;
    let runs = byLength.get(k);
    if (!runs) byLength.set(k, (runs = { starts: [], at: 0 }));
    runs.starts.push(i);
    i += k;
  }
  return {
    next: (k, from) => {
      const runs = byLength.get(k);
      if (!runs) return undefined;
      // Callers ask with increasing `from`, so the cursor only moves forward.
      while (runs.at < runs.starts.length && runs.starts[runs.at]! < from) runs.at++;
      return runs.starts[runs.at];
    },
  };
}
