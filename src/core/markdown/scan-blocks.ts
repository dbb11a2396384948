import { ATX, type Container, FENCE, HTML_BLOCKS, MAX_CONTAINERS, SETEXT, THEMATIC, atxText, closesFence, expandTabs, indentOf, interruptsParagraph, isBlank, isDelimiterRow, listItem, matchContainers, tableCells } from "./block-syntax.js";
import { markInlineComments } from "./mark-inline-comments.js";


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
      if (!blank && !interruptsParagraph(rest, !all)) {
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

