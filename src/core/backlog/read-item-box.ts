import type { ListItem } from "mdast";
import type { SourceSpan } from "./backlog.js";

export interface ItemBox {
  readonly box: SourceSpan;
  /** The characters between the brackets, as written. */
  readonly mark: string;
  /** GFM recognised a task-list checkbox (`[ ]`, `[x]`, `[X]`). */
  readonly checkbox: boolean;
}

const bullet = /(?:[-*+]|\d{1,9}[.)])[ \t]*/y;

/**
 * Where a list item's checkbox is, read from the source at the item's position: a GFM task
 * checkbox (`- [x] …`), or a bracketed mark GFM leaves as text (`- [⏭️] …`, `- [-] …`, also
 * inside leading strikethrough: `- ~~[ ] …~~`). Null when the item does not start with one
 * (`- [Design doc](…)` is a link, `- plain text` has none). `offsetBase` is added to the tree's
 * offsets (see `parseMarkdown`). Whether a non-checkbox mark makes a task is decided later.
 */
export function readItemBox(body: string, item: ListItem, offsetBase: number): ItemBox | null {
  const start = item.position?.start.offset;
  const paragraph = item.children[0];
  if (start === undefined || paragraph?.type !== "paragraph") return null;
  bullet.lastIndex = start + offsetBase;
  if (!bullet.exec(body)) return null;
  let at = bullet.lastIndex;

  if (typeof item.checked === "boolean") {
    // `[` mark `]` right here (a search for the `]` would scan the rest of the body for every item).
    const close = at + 2;
    if (body[at] !== "[" || body[at + 1] === "]" || body[close] !== "]") return null;
    return { box: { start: at, end: close + 1 }, mark: body.slice(at + 1, close), checkbox: true };
  }

  const first = paragraph.children[0];
  const paragraphStart = paragraph.position?.start.offset;
  if (paragraphStart === undefined || paragraphStart + offsetBase !== at) return null;
  const struck = first?.type === "delete";
  if (struck) {
    while (body[at] === "~") at++;
    if (first.children[0]?.type !== "text") return null;
  } else if (first?.type !== "text") {
    return null;
  }
  if (body[at] !== "[") return null;
  // Text must follow on the line: GFM takes no box without it (`- [x] ` is plain text), so a
  // mark we read ourselves needs it too, or unticking `- [x] ` would make an item vanish.
  const match = /^\[([^\]\r\n]{1,16})\](?=[ \t]+\S)/.exec(body.slice(at, at + 40));
  // A blank box GFM did not take is not a task (`- [ ]` with no text), unless struck through.
  if (!match?.[1] || (match[1].trim() === "" && !struck)) return null;
  return { box: { start: at, end: at + match[0].length }, mark: match[1], checkbox: false };
}
