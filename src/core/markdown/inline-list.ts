import type { PhrasingContent } from "mdast";

export interface Entry {
  node: PhrasingContent;
  previous: Entry | null;
  next: Entry | null;
}

/**
 * The inline nodes read so far, as a doubly linked list: wrapping a run of entries into an
 * emphasis or link node moves each entry once, so building the tree stays linear (an array
 * splice per match would not).
 */
export class InlineList {
  private head: Entry | null = null;
  private tail: Entry | null = null;

  append(node: PhrasingContent): Entry {
    const entry: Entry = { node, previous: this.tail, next: null };
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    return entry;
  }

  remove(entry: Entry): void {
    if (entry.previous) entry.previous.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.previous = entry.previous;
    else this.tail = entry.previous;
  }

  /** Removes every entry after `entry` and returns their nodes (adjacent text merged). */
  takeAfter(entry: Entry): PhrasingContent[] {
    const nodes = collect(entry.next, null);
    entry.next = null;
    this.tail = entry;
    return nodes;
  }

  /** Replaces the entries strictly between `from` and `to` with one entry holding `wrap(their nodes)`. */
  wrapBetween(from: Entry, to: Entry, wrap: (children: PhrasingContent[]) => PhrasingContent): void {
    const entry: Entry = { node: wrap(collect(from.next, to)), previous: from, next: to };
    from.next = entry;
    to.previous = entry;
  }

  toNodes(): PhrasingContent[] {
    return collect(this.head, null);
  }
}

function collect(first: Entry | null, stop: Entry | null): PhrasingContent[] {
  const nodes: PhrasingContent[] = [];
  for (let entry = first; entry && entry !== stop; entry = entry.next) {
    const node = entry.node;
    const last = nodes[nodes.length - 1];
    if (node.type === "text" && node.value === "") continue;
    if (node.type === "text" && last?.type === "text") nodes[nodes.length - 1] = { type: "text", value: last.value + node.value };
    else nodes.push(node);
  }
  return nodes;
}
