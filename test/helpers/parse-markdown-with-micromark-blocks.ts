import type { Nodes, PhrasingContent, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFootnoteFromMarkdown } from "mdast-util-gfm-footnote";
import { gfmStrikethroughFromMarkdown } from "mdast-util-gfm-strikethrough";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { gfmTaskListItemFromMarkdown } from "mdast-util-gfm-task-list-item";
import { gfm } from "micromark-extension-gfm";
import { err, ok, type Result } from "../../src/core/result.js";
import { parseInline, type InlineDefinitions } from "../../src/core/markdown/parse-inline.js";

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
 * micromark's block reader with its inline constructs off, and our linear `parseInline` for the
 * text: how the bot read markdown before its own linear block reader (src/core/markdown/
 * read-blocks.ts). Tests use it to check parseInline against micromark's inline reader on the
 * same blocks, and the backlog reader against micromark's blocks. Block offsets index `text`
 * once `offsetBase` is added. Never throws.
 */
export function parseMarkdownWithMicromarkBlocks(text: string): Result<{ tree: Root; offsetBase: number }, string> {
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
