import type { Blockquote, Heading, List, ListItem, Paragraph, Parent, Root, RootContent } from "mdast";
import { ATX, FENCE, HTML_BLOCKS, MAX_CONTAINERS, SETEXT, THEMATIC, atxText, closesFence, expandTabs, indentOf, interruptsParagraph, isBlank, isDelimiterRow, labelIdentifier as identifier, listItem, matchContainers, trimmedEnd } from "./block-syntax.js";
import { parseInline } from "./parse-inline.js";

type Open = { kind: "quote"; node: Blockquote } | { kind: "item"; node: ListItem; indent: number; blankStart: boolean; end: number };

interface Line {
  readonly text: string;
  readonly line: number;
  readonly offset: number;
  /** The line ending after it as written (mdast keeps `\r\n` and `\r` in text). */
  readonly eol: string;
}

type Leaf =
  | { kind: "paragraph"; node: Paragraph; parent: Parent; lines: Line[] }
  | { kind: "fence"; char: string; length: number }
  | { kind: "html"; end: RegExp | "blank" }
  | { kind: "table" };

const DEFINITION = /^\[((?:[^[\]\\]|\\.){1,999})\]:[ \t]*\S+(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$/;
const TASK = /^\[([ \txX])\](?=[ \t\r\n]+[^ \t\r\n])/;

/**
 * Markdown -> GFM syntax tree, read in one pass over the lines (CommonMark's block structure as
 * the slash-command scanner reads it: quotes, list items, fences, HTML blocks, tables, headings,
 * paragraphs with lazy lines, link definitions, task-list checks) and `parseInline` for the text:
 * linear in the body, where micromark's block reader takes seconds on thousands of list items and
 * minutes on 64 KB of nested markers. Block nodes carry their start line and offset (list items
 * also their end); what a backlog does not read (code, HTML, tables, quotes' insides) is kept as
 * a bare node only. A leading byte-order mark is cut off: add `offsetBase` to every offset.
 */
export function readMarkdownBlocks(text: string): { tree: Root; offsetBase: number } {
  const offsetBase = text.startsWith("\uFEFF") ? 1 : 0;
  const reader = new BlockReader();
  // U+0000 reads as U+FFFD (CommonMark, for security): same length, so offsets still index `text`.
  const body = (offsetBase ? text.slice(1) : text).replaceAll("\0", "\uFFFD");
  const breaks = /\r\n|\r|\n/g;
  let at = 0;
  let line = 1;
  for (let m = breaks.exec(body); ; m = breaks.exec(body)) {
    const end = m ? m.index : body.length;
    reader.take({ text: body.slice(at, end), line, offset: at, eol: m?.[0] ?? "" });
    if (!m) break;
    at = m.index + m[0].length;
    line++;
  }
  return { tree: reader.finish(), offsetBase };
}

class BlockReader {
  private readonly root: Root = { type: "root", children: [] };
  private readonly open: Open[] = [];
  private leaf: Leaf | undefined;
  private readonly inline: Array<{ node: Paragraph | Heading; raw: string }> = [];
  private readonly links = new Set<string>();
  private readonly markers = new WeakMap<List, string>();

  take(line: Line): void {
    const expanded = expandTabs(line.text);
    const { matched, rest } = matchContainers(this.open, expanded);
    const all = matched === this.open.length;
    const column = expanded.length - rest.length;
    if (this.continueLeaf(line, rest, column, all)) return;
    this.closeContainers(matched);
    this.openBlocks(line, rest, column);
  }

  finish(): Root {
    this.closeLeaf();
    this.closeContainers(0);
    const definitions = { links: this.links, footnotes: new Set<string>() };
    for (const { node, raw } of this.inline) node.children = parseInline(raw, definitions);
    return this.root;
  }

  /** The open leaf takes the line (true), or is closed (false). */
  private continueLeaf(line: Line, rest: string, column: number, all: boolean): boolean {
    const leaf = this.leaf;
    if (leaf?.kind === "fence") {
      if (all && closesFence(rest, leaf)) this.leaf = undefined;
      if (all) this.touch(line);
      return all || this.drop();
    }
    if (leaf?.kind === "html") {
      if (!all || (leaf.end === "blank" && isBlank(rest))) return this.drop();
      if (leaf.end !== "blank" && leaf.end.test(rest)) this.leaf = undefined;
      this.touch(line);
      return true;
    }
    if (leaf?.kind === "table") {
      if (!all || isBlank(rest) || interruptsParagraph(rest)) return this.drop();
      this.touch(line);
      return true;
    }
    if (leaf?.kind !== "paragraph") return false;
    const blank = isBlank(rest);
    if (all && leaf.lines.length === 1 && isDelimiterRow(rest, expandTabs(leaf.lines[0]!.text))) {
      this.replace(leaf, { type: "table", align: [], children: [], position: leaf.node.position });
      this.leaf = { kind: "table" };
      this.touch(line);
      return true;
    }
    if (all && !blank && indentOf(rest) < 4 && SETEXT.test(rest.trimStart())) {
      const heading: Heading = { type: "heading", depth: rest.trimStart().startsWith("=") ? 1 : 2, children: [], position: leaf.node.position };
      this.replace(leaf, heading);
      this.inline.push({ node: heading, raw: joinLines(leaf.lines) });
      this.leaf = undefined;
      this.touch(line);
      return true;
    }
    if (!blank && !interruptsParagraph(rest, !all)) {
      leaf.lines.push({ ...line, text: fromColumn(line.text, column).trimStart() });
      this.touch(line);
      return true;
    }
    this.closeLeaf();
    return false;
  }

  private drop(): false {
    this.leaf = undefined;
    return false;
  }

  private closeLeaf(): void {
    const leaf = this.leaf;
    this.leaf = undefined;
    if (leaf?.kind !== "paragraph") return;
    let first = 0;
    while (first < leaf.lines.length) {
      const definition = DEFINITION.exec(leaf.lines[first]!.text.trim());
      if (!definition) break;
      this.links.add(identifier(definition[1]!));
      first++;
    }
    if (first === leaf.lines.length) return this.replace(leaf, { type: "definition", identifier: "", url: "", position: leaf.node.position });
    const lines = leaf.lines.slice(first);
    const start = lines[0]!;
    leaf.node.position = { start: { line: start.line, column: 1, offset: start.offset }, end: { line: start.line, column: 1, offset: start.offset } };
    const item = leaf.parent.type === "listItem" ? (leaf.parent as ListItem) : null;
    let raw = joinLines(lines);
    const task = item && item.children[0] === leaf.node ? TASK.exec(raw) : null;
    if (item && task) {
      item.checked = task[1] === "x" || task[1] === "X";
      raw = raw.slice(task[0].length).replace(/^[ \t]/, "");
    }
    this.inline.push({ node: leaf.node, raw });
  }

  private replace(leaf: { node: Paragraph; parent: Parent }, node: RootContent): void {
    const children = leaf.parent.children;
    const index = children.lastIndexOf(leaf.node);
    if (index >= 0) children[index] = node;
  }

  private closeContainers(keep: number): void {
    while (this.open.length > keep) {
      const closed = this.open.pop()!;
      if (closed.kind === "item" && closed.node.position) closed.node.position.end.offset = closed.end;
    }
  }

  /** Every open container holds this line's content: list items end at least here. */
  private touch(line: Line): void {
    const end = line.offset + line.text.length;
    for (const c of this.open) if (c.kind === "item") c.end = end;
  }

  private parent(): Parent {
    return this.open[this.open.length - 1]?.node ?? this.root;
  }

  private openBlocks(line: Line, text: string, startColumn: number): void {
    let rest = text;
    let column = startColumn;
    for (;;) {
      if (isBlank(rest)) {
        this.leaf = undefined;
        return;
      }
      const indent = indentOf(rest);
      if (indent >= 4) {
        this.addBlock({ type: "code", value: "" }, line);
        return;
      }
      const body = rest.slice(indent);
      const bodyColumn = column + indent;
      const deeper = this.open.length < MAX_CONTAINERS;
      if (deeper && body.startsWith(">")) {
        const node: Blockquote = { type: "blockquote", children: [] };
        this.parent().children.push(node);
        this.open.push({ kind: "quote", node });
        const width = body.startsWith("> ") ? 2 : 1;
        rest = body.slice(width);
        column = bodyColumn + width;
        continue;
      }
      const item = listItem(body);
      if (deeper && item && !THEMATIC.test(body)) {
        this.openItem(line, bodyColumn, indent + item.indent, item);
        rest = item.rest;
        column = bodyColumn + item.indent;
        continue;
      }
      this.openLeaf(line, body, bodyColumn);
      return;
    }
  }

  private openItem(line: Line, column: number, indent: number, item: { marker: string; empty: boolean }): void {
    const parent = this.parent();
    const last = parent.children[parent.children.length - 1];
    let list = last?.type === "list" && this.markers.get(last) === item.marker ? last : undefined;
    if (!list) {
      list = { type: "list", ordered: /[.)]/.test(item.marker), spread: false, children: [] };
      this.markers.set(list, item.marker);
      parent.children.push(list);
    }
    const offset = line.offset + rawIndex(line.text, column);
    const node: ListItem = { type: "listItem", spread: false, checked: null, children: [], position: { start: { line: line.line, column: column + 1, offset }, end: { line: line.line, column: column + 1, offset } } };
    list.children.push(node);
    this.open.push({ kind: "item", node, indent, blankStart: item.empty, end: offset });
    this.touch(line);
  }

  private openLeaf(line: Line, body: string, column: number): void {
    const fence = FENCE.exec(body);
    if (fence && !(fence[1]!.startsWith("`") && fence[2]!.includes("`"))) {
      this.addBlock({ type: "code", value: "" }, line);
      this.leaf = { kind: "fence", char: fence[1]![0]!, length: fence[1]!.length };
      return;
    }
    const html = HTML_BLOCKS.find((h) => h.start.test(body));
    if (html) {
      this.addBlock({ type: "html", value: "" }, line);
      if (html.end === "blank" || !html.end.test(body)) this.leaf = { kind: "html", end: html.end };
      return;
    }
    const raw = fromColumn(line.text, column);
    if (ATX.test(body)) {
      const heading: Heading = { type: "heading", depth: (/^#+/.exec(body)?.[0].length ?? 1) as Heading["depth"], children: [] };
      this.addBlock(heading, line);
      this.inline.push({ node: heading, raw: atxText(raw) });
      return;
    }
    if (THEMATIC.test(body)) return this.addBlock({ type: "thematicBreak" }, line);
    const node: Paragraph = { type: "paragraph", children: [] };
    const parent = this.parent();
    this.addBlock(node, line);
    this.leaf = { kind: "paragraph", node, parent, lines: [{ ...line, offset: line.offset + rawIndex(line.text, column), text: raw }] };
  }

  private addBlock(node: RootContent, line: Line): void {
    node.position = { start: { line: line.line, column: 1, offset: line.offset }, end: { line: line.line, column: 1, offset: line.offset } };
    this.parent().children.push(node);
    this.touch(line);
  }
}

function joinLines(lines: readonly Line[]): string {
  return lines.map((l, i) => l.text.slice(0, trimmedEnd(l.text, l.text.length)) + (i < lines.length - 1 ? l.eol : "")).join("");
}

/** The index in `text` of the character at `column` once tabs are expanded (stops of 4). */
function rawIndex(text: string, column: number): number {
  let col = 0;
  let i = 0;
  while (i < text.length && col < column) {
    col = text[i] === "\t" ? col + 4 - (col % 4) : col + 1;
    i++;
  }
  return i;
}

function fromColumn(text: string, column: number): string {
  return text.slice(rawIndex(text, column));
}
