import type { List, ListItem, Root } from "mdast";
import { toPlainText } from "./to-plain-text.js";

export interface HeadingBlock {
  readonly kind: "heading";
  readonly root: number;
  readonly depth: number;
  readonly text: string;
  readonly line: number;
}

export interface ParagraphBlock {
  readonly kind: "paragraph";
  readonly root: number;
  readonly text: string;
  readonly line: number;
}

export interface ListItemBlock {
  readonly kind: "listItem";
  readonly root: number;
  readonly node: ListItem;
  /** Index (in `listItems`) of the list item this one is nested in. */
  readonly parent: number | null;
  readonly line: number;
}

export interface Blocks {
  readonly headings: readonly HeadingBlock[];
  readonly paragraphs: readonly ParagraphBlock[];
  readonly listItems: readonly ListItemBlock[];
}

/**
 * The parts of a markdown tree a backlog is made of: top-level headings and paragraphs, and
 * every list item of top-level lists, nested ones included, in document order. Code blocks,
 * HTML, tables and block quotes (quoted text is someone else's checklist) are left out.
 */
export function collectBlocks(tree: Root): Blocks {
  const headings: HeadingBlock[] = [];
  const paragraphs: ParagraphBlock[] = [];
  const listItems: ListItemBlock[] = [];
  tree.children.forEach((child, root) => {
    const line = child.position?.start.line ?? 0;
    if (child.type === "heading") headings.push({ kind: "heading", root, depth: child.depth, text: toPlainText(child).trim(), line });
    else if (child.type === "paragraph") paragraphs.push({ kind: "paragraph", root, text: toPlainText(child), line });
    else if (child.type === "list") collectListItems(child, root, listItems);
  });
  return { headings, paragraphs, listItems };
}

function collectListItems(list: List, root: number, out: ListItemBlock[]): void {
  const stack: Array<{ node: ListItem; parent: number | null }> = [];
  const pushList = (l: List, parent: number | null) => {
    for (let i = l.children.length - 1; i >= 0; i--) {
      const node = l.children[i];
      if (node) stack.push({ node, parent });
    }
  };
  pushList(list, null);
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    const index = out.length;
    out.push({ kind: "listItem", root, node: next.node, parent: next.parent, line: next.node.position?.start.line ?? 0 });
    for (let i = next.node.children.length - 1; i >= 0; i--) {
      const child = next.node.children[i];
      if (child?.type === "list") pushList(child, index);
    }
  }
}
