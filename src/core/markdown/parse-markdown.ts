import type { Nodes, PhrasingContent, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFootnoteFromMarkdown } from "mdast-util-gfm-footnote";
import { gfmStrikethroughFromMarkdown } from "mdast-util-gfm-strikethrough";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { gfmTaskListItemFromMarkdown } from "mdast-util-gfm-task-list-item";
import { gfm } from "micromark-extension-gfm";
import { err, ok, type Result } from "../result.js";
import { parseInline, type InlineDefinitions } from "./parse-inline.js";

/**
 * micromark's inline constructs, turned off: its inline resolution takes seconds on 64 KB of
 * `*a*a…`, `](` or `~~a`. micromark reads the blocks (linear), `parseInline` the text inside them.
 */
const INLINE_CONSTRUCTS = [
  "attention",
  "strikethrough",
  "labelStartLink",
  "labelStartImage",
  "labelEnd",
  "gfmFootnoteCall",
  "gfmPotentialFootnoteCall",
  "wwwAutolink",
  "protocolAutolink",
  "emailAutolink",
  "autolink",
  "htmlText",
  "codeText",
  "characterEscape",
  "characterReference",
  "hardBreakEscape",
];

/**
 * Markdown -> GFM syntax tree whose block offsets index `text` itself. Blocks (headings,
 * paragraphs, lists and task items, quotes, code, HTML, tables, definitions, footnote
 * definitions) come from micromark; the text inside them from our linear `parseInline`, so the
 * whole read is linear in the input. Inline nodes carry no positions. Literal autolinks
 * (`www.…`) stay text. micromark drops a leading byte-order mark from its offsets, so the BOM
 * is cut off here and `offsetBase` (0 or 1) must be added to every `position.*.offset`. Never
 * throws: micromark overflows the call stack on pathologically deep nesting (thousands of `>`
 * or list levels), which comes back as an error.
 */
export function parseMarkdown(text: string): Result<{ tree: Root; offsetBase: number }, string> {
  const offsetBase = text.startsWith("\uFEFF") ? 1 : 0;
  try {
    const tree = fromMarkdown(text.slice(offsetBase), {
      extensions: [gfm(), { disable: { null: INLINE_CONSTRUCTS } }],
      mdastExtensions: [gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown()],
    });
    readInlineContent(tree);
    return ok({ tree, offsetBase });
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
}

/** Replaces the raw text of every paragraph, heading and table cell by its inline nodes. */
function readInlineContent(tree: Root): void {
  const definitions = collectDefinitions(tree);
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "paragraph" || node.type === "heading" || node.type === "tableCell") {
      const raw = rawText(node.children);
      node.children = parseInline(node.type === "tableCell" ? raw.replace(/\\\|/g, "|") : raw, definitions);
    } else if ("children" in node) {
      for (const child of node.children) stack.push(child);
    }
  }
}

function collectDefinitions(tree: Root): InlineDefinitions {
  const links = new Set<string>();
  const footnotes = new Set<string>();
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "definition") links.add(node.identifier);
    else if (node.type === "footnoteDefinition") footnotes.add(node.identifier);
    if ("children" in node && node.type !== "paragraph" && node.type !== "heading") for (const child of node.children) stack.push(child);
  }
  return { links, footnotes };
}

/** With inline constructs off, micromark leaves text and trailing-space hard breaks. */
function rawText(children: readonly PhrasingContent[]): string {
  let raw = "";
  for (const child of children) {
    if (child.type === "text") raw += child.value;
    else if (child.type === "break") raw += "\n";
  }
  return raw;
}
