import { normalizeIdentifier } from "micromark-util-normalize-identifier";

/** CommonMark syntax the linear markdown readers (scan-blocks.ts, read-blocks.ts, parse-inline.ts) share. */

/** ASCII punctuation: what a backslash escapes. */
export const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/** A link or footnote label as mdast identifies it: whitespace collapsed, case folded, lower case. */
export function labelIdentifier(label: string): string {
  return normalizeIdentifier(label).toLowerCase();
}
export const FENCE = /^(`{3,}|~{3,})(.*)$/s;
export const ATX = /^#{1,6}(?:[ \t]|$)/;
export const THEMATIC = /^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
export const SETEXT = /^(?:=+|-+)[ \t]*$/;
const BULLET = /^([-+*])(?:([ \t]+)|$)/;
const ORDERED = /^(\d{1,9})([.)])(?:([ \t]+)|$)/;
/** Deeper quotes and list items are read as text: nesting costs every later line a check per level. */
export const MAX_CONTAINERS = 100;
const BLOCK_TAGS =
  "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul";
/** HTML block starts (CommonMark 0.31 types 1 to 7) and what ends each. */
export const HTML_BLOCKS: ReadonlyArray<{ start: RegExp; end: RegExp | "blank"; interrupts: boolean; comment?: true }> = [
  { start: /^<(?:script|pre|style|textarea)(?:[ \t>]|$)/i, end: /<\/(?:script|pre|style|textarea)>/i, interrupts: true },
  { start: /^<!--/, end: /-->/, interrupts: true, comment: true },
  { start: /^<\?/, end: /\?>/, interrupts: true },
  { start: /^<![A-Za-z]/, end: />/, interrupts: true },
  { start: /^<!\[CDATA\[/, end: /\]\]>/, interrupts: true },
  { start: new RegExp(`^</?(?:${BLOCK_TAGS})(?:[ \\t>]|/>|$)`, "i"), end: "blank", interrupts: true },
  { start: /^(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z_:][\w.:-]*(?:[ \t]*=[ \t]*(?:[^ \t"'=<>`]+|'[^']*'|"[^"]*"))?)*[ \t]*\/?>|<\/[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$/, end: "blank", interrupts: false },
];

/** `blankStart`: the item's first line held only its marker, and no content came yet (a blank line then ends it). */
export type Container = { readonly kind: "quote" } | { readonly kind: "item"; readonly indent: number; blankStart: boolean };

/** Consumes the markers of the open containers that this line continues; the rest of the line. */
export function matchContainers(containers: readonly Container[], text: string): { matched: number; rest: string } {
  let rest = text;
  let matched = 0;
  for (const c of containers) {
    if (c.kind === "quote") {
      const m = /^ {0,3}> ?/.exec(rest);
      if (!m) break;
      rest = rest.slice(m[0].length);
    } else if (isBlank(rest)) {
      if (c.blankStart) break; // a list item can begin with at most one blank line
      rest = "";
    } else if (indentOf(rest) >= c.indent) {
      rest = rest.slice(c.indent);
      c.blankStart = false;
    } else break;
    matched++;
  }
  return { matched, rest };
}

/** A list item marker at the start of `body`: its content's indent (from the marker) and the rest. */
export function listItem(body: string): { indent: number; rest: string; empty: boolean; marker: string; ordered?: string } | undefined {
  const m = BULLET.exec(body) ?? ORDERED.exec(body);
  if (!m) return undefined;
  const marker = m[0].trimEnd().length;
  const spaces = m.length === 3 ? m[2] : m[3];
  const after = body.slice(m[0].length);
  const empty = isBlank(after);
  const gap = empty || spaces === undefined ? 1 : spaces.length > 4 ? 1 : spaces.length;
  return { indent: marker + gap, rest: " ".repeat(Math.max(0, (spaces?.length ?? 0) - gap)) + after, empty, marker: (m.length === 4 ? m[2] : m[1]) ?? "", ...(m.length === 4 ? { ordered: m[1] } : {}) };
}

/**
 * Whether a line ends the open paragraph. `lazy`: the line did not continue all the open
 * containers, so it would only continue the paragraph lazily; then any block start ends it
 * (CommonMark lets only a list item starting at 1 and not empty, or an HTML block of types 1–6,
 * interrupt a paragraph inside its own container, but `1. a` then `2. b` starts a sibling item).
 */
export function interruptsParagraph(text: string, lazy = false): boolean {
  const indent = indentOf(text);
  if (indent >= 4) return false;
  const body = text.slice(indent);
  if (body.startsWith(">") || ATX.test(body) || THEMATIC.test(body.trimEnd())) return true;
  const fence = FENCE.exec(body);
  if (fence && !(fence[1]!.startsWith("`") && fence[2]!.includes("`"))) return true;
  if (HTML_BLOCKS.some((h) => (lazy || h.interrupts) && h.start.test(body))) return true;
  const item = listItem(body);
  return item !== undefined && (lazy || (!item.empty && (item.ordered === undefined || item.ordered === "1")));
}

/** A GFM table's delimiter row (`| --- | :-: |`) with as many cells as its header row. */
export function isDelimiterRow(text: string, header: string): boolean {
  const cells = tableCells(text);
  return cells.length > 0 && cells.every((c) => /^:?-+:?$/.test(c.trim())) && (text.includes("|") || cells.length > 1) && tableCells(header).length === cells.length;
}

export function tableCells(row: string): string[] {
  let body = row.trim();
  if (body.startsWith("|")) body = body.slice(1);
  if (body.endsWith("|") && !body.endsWith("\\|")) body = body.slice(0, -1);
  return body.split(/(?<!\\)\|/);
}

/** An ATX heading's text: without its `#` run and closing sequence. */
export function atxText(body: string): string {
  // By hand: `/[ \t]+#+[ \t]*$/` retries from every space of a long run (quadratic on 64 KB of spaces).
  let start = 0;
  while (start < 6 && body[start] === "#") start++;
  let end = trimmedEnd(body, body.length);
  let hashes = end;
  while (hashes > start && body[hashes - 1] === "#") hashes--;
  if (hashes < end && (hashes === start || body[hashes - 1] === " " || body[hashes - 1] === "\t")) end = hashes;
  return body.slice(start, end).trim();
}

/** `text.slice(0, end)` without its trailing spaces and tabs: the index where they start. Linear, unlike `/[ \t]+$/` on a long inner run. */
export function trimmedEnd(text: string, end: number): number {
  while (end > 0 && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  return end;
}

export function closesFence(text: string, fence: { char: string; length: number }): boolean {
  if (indentOf(text) >= 4) return false;
  const body = text.trim();
  return body.length >= fence.length && [...body].every((c) => c === fence.char);
}

export function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

export function indentOf(text: string): number {
  let n = 0;
  while (n < text.length && text[n] === " ") n++;
  return n;
}

/** Tabs to spaces (tab stops of 4), as CommonMark counts indentation; only the leading ones matter. */
export function expandTabs(text: string): string {
  if (!text.includes("\t")) return text;
  let out = "";
  for (const c of text) out += c === "\t" ? " ".repeat(4 - (out.length % 4)) : c;
  return out;
}
