/**
 * How big a backlog the bot reads. The reader is linear (core/markdown/read-blocks.ts and
 * parse-inline.ts), so these bound the work per body rather than guard against a blow-up: 2,500
 * lines cover GitHub's 65,536-character bodies at a typical backlog's line length, and every
 * line costs a check per level it nests. A body past them is not parsed at all. A real backlog
 * has tens to a few hundred lines nested 2–4 deep.
 */
export const BACKLOG_SHAPE_LIMITS = {
  /** Lines of the body. */
  maxLines: 2500,
  /** Columns of list markers, quote markers and indentation before a line's text (a tab is 4). */
  maxNesting: 24,
  /** List markers that open lists on one line (`- - - [ ] x`): the costliest nesting to read. */
  maxMarkersPerLine: 3,
} as const;

export type BacklogShapeLimits = { readonly maxLines: number; readonly maxNesting: number; readonly maxMarkersPerLine: number };

/**
 * A sentence saying which limit `body` breaks, or null. Linear in the body; a line's prefix is
 * read only up to the limit, so a megabyte of `- - - …` costs no more than the limit.
 */
export function checkBacklogShape(body: string, limits: BacklogShapeLimits = BACKLOG_SHAPE_LIMITS): string | null {
  let line = 1;
  let at = 0;
  while (at <= body.length) {
    const { columns: nesting, markers } = readPrefix(body, at, limits.maxNesting);
    if (markers > limits.maxMarkersPerLine) {
      return `line ${line} opens more than ${limits.maxMarkersPerLine} lists on one line (\`- - - …\`); the bot reads backlogs with up to ${limits.maxMarkersPerLine}`;
    }
    if (nesting > limits.maxNesting) {
      return `line ${line} is nested more than ${limits.maxNesting} columns deep (list markers, quotes and indentation); the bot reads backlogs nested up to ${limits.maxNesting}`;
    }
    const next = nextLineStart(body, at);
    if (next < 0) break;
    line++;
    if (line > limits.maxLines) return `it has more than ${limits.maxLines.toLocaleString("en-US")} lines; the bot reads backlogs of up to ${limits.maxLines.toLocaleString("en-US")} lines`;
    at = next;
  }
  return null;
}

function nextLineStart(body: string, from: number): number {
  for (let i = from; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return body.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return -1;
}

/** Columns of container prefix at `at` (spaces, tabs, `>`, list markers), counted up to `max + 1`, and its list markers. */
function readPrefix(body: string, at: number, max: number): { columns: number; markers: number } {
  let col = 0;
  let markers = 0;
  let i = at;
  while (i < body.length && col <= max) {
    const c = body[i];
    if (c === " " || c === ">") col++;
    else if (c === "\t") col += 4 - (col % 4);
    else {
      const marker = markerLength(body, i);
      if (marker === 0) break;
      col += marker;
      i += marker;
      markers++;
      continue;
    }
    i++;
  }
  return { columns: col, markers };
}

/** Length of a list marker at `i` followed by a space or tab (`-`, `*`, `+`, `1.`, `12)`), else 0. */
function markerLength(body: string, i: number): number {
  const c = body[i];
  let end = i;
  if (c === "-" || c === "*" || c === "+") end = i + 1;
  else {
    while (end < body.length && end - i < 9 && body[end]! >= "0" && body[end]! <= "9") end++;
    if (end === i || (body[end] !== "." && body[end] !== ")")) return 0;
    end++;
  }
  const after = body[end];
  return after === " " || after === "\t" ? end - i : 0;
}
