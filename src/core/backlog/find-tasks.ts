import type { Paragraph } from "mdast";
import type { ItemState, LegendEntry } from "./backlog.js";
import { classifyItemMark, type ItemMark } from "./classify-item-mark.js";
import type { ListItemBlock } from "./collect-blocks.js";
import { readItemBox, type ItemBox } from "./read-item-box.js";
import { toPlainText } from "./to-plain-text.js";

export interface Task {
  readonly block: ListItemBlock;
  /** Index of `block` in the list items it was found among. */
  readonly blockIndex: number;
  readonly box: ItemBox;
  readonly mark: ItemMark;
  readonly state: ItemState;
  readonly struck: boolean;
  /** Plain text after the box, whitespace collapsed. */
  readonly text: string;
}

/**
 * The list items that are checklist items: a box GFM recognises, or a bracketed mark the
 * legend or the built-in marks define (see `classifyItemMark`), outside legends. An open item
 * whose text begins with strikethrough is skipped; a ticked box wins over strikethrough
 * (`[x] ~~…~~` is done).
 */
export function findTasks(params: {
  body: string;
  listItems: readonly ListItemBlock[];
  legend: readonly LegendEntry[];
  inLegend: (root: number) => boolean;
  offsetBase: number;
}): Task[] {
  const { body, listItems, legend, inLegend, offsetBase } = params;
  const tasks: Task[] = [];
  listItems.forEach((block, blockIndex) => {
    if (inLegend(block.root)) return;
    const box = readItemBox(body, block.node, offsetBase);
    if (!box) return;
    const mark = classifyItemMark({ mark: box.mark, checkbox: box.checkbox, legend });
    const paragraph = block.node.children[0];
    if (!mark || paragraph?.type !== "paragraph") return;
    const plain = toPlainText(paragraph);
    const text = (box.checkbox ? plain : stripBox(plain, box.mark)).replace(/\s+/g, " ").trim();
    const struck = startsStruck(paragraph, box);
    const state = mark.state === "open" && struck ? "skipped" : mark.state;
    tasks.push({ block, blockIndex, box, mark, state, struck, text });
  });
  return tasks;
}

function stripBox(plain: string, mark: string): string {
  const box = `[${mark}]`;
  if (plain.startsWith(box)) return plain.slice(box.length);
  const close = plain.indexOf("]");
  return close >= 0 ? plain.slice(close + 1) : plain;
}

/** The item's own text (after its box) begins with `~~strikethrough~~`. */
function startsStruck(paragraph: Paragraph, box: ItemBox): boolean {
  let first = true;
  for (const child of paragraph.children) {
    if (child.type === "text") {
      const value = first && !box.checkbox ? stripBox(child.value, box.mark) : child.value;
      first = false;
      if (value.trim() === "") continue;
      return false;
    }
    return child.type === "delete";
  }
  return false;
}
