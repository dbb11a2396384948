import { markInlineComments } from "./mark-inline-comments.js";

/** `blankStart`: the item's first line held only its marker, and no content came yet (a blank line then ends it). */
type Container = { readonly kind: "quote" } | { readonly kind: "item"; readonly indent: number; blankStart: boolean };
type Leaf =
  | { readonly kind: "fence"; readonly char: string; readonly length: number }
  | { readonly kind: "html"; readonly end: RegExp | "blank"; readonly comment: boolean }
  | { readonly kind: "paragraph"; readonly lines: Array<{ readonly line: number; readonly text: string }>; readonly quoted: boolean }
  | { readonly kind: "table"; readonly quoted: boolean };

/**
 * A run of inline content: a paragraph (its lines, container prefixes removed), a heading's
 * text, or one GFM table cell. `quoted`: inside a block quote (someone else's words).
 */
export interface TextBlock {
  readonly line: number;
  readonly text: string;
  readonly quoted: boolean;
}

const FENCE = /^(`{3,}|~{3,})(.*)$/s;
const ATX = /^#{1,6}(?:[ \t]|$)/;
const THEMATIC = /^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const SETEXT = /^(?:=+|-+)[ \t]*$/;
const BULLET = /^([-+*])(?:([ \t]+)|$)/;
const ORDERED = /^(\d{1,9})([.)])(?:([ \t]+)|$)/;
/** Deeper quotes and list items are read as text: nesting costs every later line a check per level. */
const MAX_CONTAINERS = 100;
const BLOCK_TAGS =
  "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul";
/** HTML block starts (CommonMark 0.31 types 1 to 7) and what ends each. */
const HTML_BLOCKS: ReadonlyArray<{ start: RegExp; end: RegExp | "blank"; interrupts: boolean; comment?: true }> = [
  { start: /^<(?:script|pre|style|textarea)(?:[ \t>]|$)/i, end: /<\/(?:script|pre|style|textarea)>/i, interrupts: true },
  { start: /^<!--/, end: /-->/, interrupts: true, comment: true },
  { start: /^<\?/, end: /\?>/, interrupts: true },
  { start: /^<![A-Za-z]/, end: />/, interrupts: true },
  { start: /^<!\[CDATA\[/, end: /\]\]>/, interrupts: true },
  { start: new RegExp(`^</?(?:${BLOCK_TAGS})(?:[ \\t>]|/>|$)`, "i"), end: "blank", interrupts: true },
  { start: /^(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z_:][\w.:-]*(?:[ \t]*=[ \t]*(?:[^ \t"'=<>`]+|'[^']*'|"[^"]*"))?)*[ \t]*\/?>|<\/[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$/, end: "blank", interrupts: false },
];

/**
 * The 1-based lines of a comment where no command can stand, as a CommonMark reader finds them:
 * fenced code (to the end when unclosed), HTML comments (blocks, and inline ones over as many
 * lines as they span), in block quotes and list items too. One pass over the lines, then one
 * over each paragraph: linear in the comment (the markdown parser took seconds on a long one).
 * Quoted lines need no marking: they start with `>`, so no command stands there anyway.
 */
export function findHiddenLines(lines: readonly string[]): ReadonlySet<number> {
  return scanBlocks(lines);
}

/**
 * The inline content of a markdown document, block by block (paragraphs, headings, table
 * cells; not code, HTML blocks or link definitions' targets), as `findHiddenLines` reads the
 * blocks: in one pass, linear in the document. micromark's block reader takes minutes on 64 KB
 * of `1. 1. 1. …` or `> - > - …`.
 */
export function findTextBlocks(lines: readonly string[]): TextBlock[] {
  const blocks: TextBlock[] = [];
  scanBlocks(lines, (block) => blocks.push(block));
  return blocks;
}

function scanBlocks(lines: readonly string[], onText?: (block: TextBlock) => void): ReadonlySet<number> {
  const hidden = new Set<number>();
  const containers: Container[] = [];
  let leaf: Leaf | undefined;
  const closeLeaf = () => {
    if (leaf?.kind === "paragraph") {
      markInlineComments(leaf.lines, hidden);
      onText?.({ line: leaf.lines[0]!.line, text: leaf.lines.map((l) => l.text).join("\n"), quoted: leaf.quoted });
    }
    leaf = undefined;
  };
  const row = (line: number, text: string, quoted: boolean) => {
    if (onText) for (const cell of tableCells(text)) onText({ line, text: cell.replace(/\\\|/g, "|").trim(), quoted });
  };
  lines.forEach((raw, index) => {
    const line = index + 1;
    const { matched, rest } = matchContainers(containers, expandTabs(raw));
    const all = matched === containers.length;
    if (leaf?.kind === "fence") {
      if (all) {
        hidden.add(line);
        if (closesFence(rest, leaf)) leaf = undefined;
        return;
      }
      leaf = undefined;
    } else if (leaf?.kind === "html") {
      if (all && !(leaf.end === "blank" && isBlank(rest))) {
        if (leaf.comment) hidden.add(line);
        if (leaf.end !== "blank" && leaf.end.test(rest)) leaf = undefined;
        return;
      }
      leaf = undefined;
    } else if (leaf?.kind === "table") {
      // GFM table rows: each its own inline content, so a comment never spans two rows.
      if (all && !isBlank(rest) && !interruptsParagraph(rest)) {
        row(line, rest, leaf.quoted);
        return markInlineComments([{ line, text: rest }], hidden);
      }
      leaf = undefined;
    } else if (leaf?.kind === "paragraph") {
      const blank = isBlank(rest);
      if (all && leaf.lines.length === 1 && isDelimiterRow(rest, leaf.lines[0]!.text)) {
        markInlineComments(leaf.lines, hidden);
        row(leaf.lines[0]!.line, leaf.lines[0]!.text, leaf.quoted);
        leaf = { kind: "table", quoted: leaf.quoted };
        return;
      }
      // An underline (`===`, `---`) makes the paragraph a heading; a line that starts no block continues it (lazily, out of its quote or item).
      if (all && !blank && indentOf(rest) < 4 && SETEXT.test(rest.trimStart())) return closeLeaf();
      if (!blank && !interruptsParagraph(rest)) {
        leaf.lines.push({ line, text: rest.trimStart() });
        return;
      }
      closeLeaf();
    }
    containers.length = matched;
    openBlocks(containers, rest, line, hidden, (next) => (leaf = next), onText);
  });
  closeLeaf();
  return hidden;
}

/** Consumes the markers of the open containers that this line continues; the rest of the line. */
function matchContainers(containers: readonly Container[], text: string): { matched: number; rest: string } {
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

/** New containers and the leaf block the line starts (after the containers it continued). */
function openBlocks(containers: Container[], text: string, line: number, hidden: Set<number>, setLeaf: (leaf: Leaf | undefined) => void, onText?: (block: TextBlock) => void): void {
  let rest = text;
  for (;;) {
    if (isBlank(rest)) return setLeaf(undefined);
    const indent = indentOf(rest);
    if (indent >= 4) return setLeaf(undefined); // indented code: one line at a time, nothing inside it counts
    const body = rest.slice(indent);
    const deeper = containers.length < MAX_CONTAINERS;
    if (deeper && body.startsWith(">")) {
      containers.push({ kind: "quote" });
      rest = body.slice(body.startsWith("> ") ? 2 : 1);
      continue;
    }
    const item = listItem(body);
    if (deeper && item && !THEMATIC.test(body)) {
      containers.push({ kind: "item", indent: indent + item.indent, blankStart: item.empty });
      rest = item.rest;
      continue;
    }
    const fence = FENCE.exec(body);
    if (fence && !(fence[1]!.startsWith("`") && fence[2]!.includes("`"))) {
      hidden.add(line);
      return setLeaf({ kind: "fence", char: fence[1]![0]!, length: fence[1]!.length });
    }
    const html = HTML_BLOCKS.find((h) => h.start.test(body));
    if (html) {
      if (html.comment) hidden.add(line);
      const endsHere = html.end !== "blank" && html.end.test(body);
      return setLeaf(endsHere ? undefined : { kind: "html", end: html.end, comment: html.comment === true });
    }
    const quoted = containers.some((c) => c.kind === "quote");
    if (ATX.test(body)) onText?.({ line, text: atxText(body), quoted });
    if (ATX.test(body) || THEMATIC.test(body)) return setLeaf(undefined);
    return setLeaf({ kind: "paragraph", lines: [{ line, text: body }], quoted });
  }
}

/** A list item marker at the start of `body`: its content's indent (from the marker) and the rest. */
function listItem(body: string): { indent: number; rest: string; empty: boolean; ordered?: string } | undefined {
  const m = BULLET.exec(body) ?? ORDERED.exec(body);
  if (!m) return undefined;
  const marker = m[0].trimEnd().length;
  const spaces = m.length === 3 ? m[2] : m[3];
  const after = body.slice(m[0].length);
  const empty = isBlank(after);
  const gap = empty || spaces === undefined ? 1 : spaces.length > 4 ? 1 : spaces.length;
  return { indent: marker + gap, rest: " ".repeat(Math.max(0, (spaces?.length ?? 0) - gap)) + after, empty, ...(m.length === 4 ? { ordered: m[1] } : {}) };
}

/** Whether a line that is not a lazy continuation ends the open paragraph. */
function interruptsParagraph(text: string): boolean {
  const indent = indentOf(text);
  if (indent >= 4) return false;
  const body = text.slice(indent);
  if (body.startsWith(">") || ATX.test(body) || THEMATIC.test(body.trimEnd())) return true;
  const fence = FENCE.exec(body);
  if (fence && !(fence[1]!.startsWith("`") && fence[2]!.includes("`"))) return true;
  if (HTML_BLOCKS.some((h) => h.interrupts && h.start.test(body))) return true;
  const item = listItem(body);
  return item !== undefined && !item.empty && (item.ordered === undefined || item.ordered === "1");
}

/** A GFM table's delimiter row (`| --- | :-: |`) with as many cells as its header row. */
function isDelimiterRow(text: string, header: string): boolean {
  const cells = tableCells(text);
  return cells.length > 0 && cells.every((c) => /^:?-+:?$/.test(c.trim())) && (text.includes("|") || cells.length > 1) && tableCells(header).length === cells.length;
}

function tableCells(row: string): string[] {
  let body = row.trim();
  if (body.startsWith("|")) body = body.slice(1);
  if (body.endsWith("|") && !body.endsWith("\\|")) body = body.slice(0, -1);
  return body.split(/(?<!\\)\|/);
}

/** An ATX heading's text: without its `#` run and closing sequence. */
function atxText(body: string): string {
  return body.replace(/^#{1,6}/, "").replace(/(?:^|[ \t]+)#+[ \t]*$/, "").trim();
}

function closesFence(text: string, fence: { char: string; length: number }): boolean {
  if (indentOf(text) >= 4) return false;
  const body = text.trim();
  return body.length >= fence.length && [...body].every((c) => c === fence.char);
}

function isBlank(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

function indentOf(text: string): number {
  let n = 0;
  while (n < text.length && text[n] === " ") n++;
  return n;
}

/** Tabs to spaces (tab stops of 4), as CommonMark counts indentation; only the leading ones matter. */
function expandTabs(text: string): string {
  if (!text.includes("\t")) return text;
  let out = "";
  for (const c of text) out += c === "\t" ? " ".repeat(4 - (out.length % 4)) : c;
  return out;
}
