import { compareCodePoints } from "../compare-code-points.js";
import type { RawChange } from "./raw-change.js";

export interface RenamedChange {
  readonly kind: "renamed";
  readonly path: string;
  readonly oldPath: string;
  readonly isDir: boolean;
  readonly hash: string;
  readonly oldSize?: number | undefined;
  readonly newSize?: number | undefined;
  readonly dataset: string;
  readonly oldDataset: string;
}

/**
 * Pairs deletions and additions of the same hash into renames, exactly as
 * `dvc_data.index.diff._detect_renames`: additions in key order each take the first (in key
 * order) unpaired deletion with their hash; the rest stay added or deleted.
 */
export function detectRenames(changes: readonly RawChange[]): (RawChange | RenamedChange)[] {
  const result: (RawChange | RenamedChange)[] = [];
  const added: RawChange[] = [];
  const deleted: RawChange[] = [];
  for (const change of changes) {
    if (change.kind === "added") added.push(change);
    else if (change.kind === "deleted") deleted.push(change);
    else result.push(change);
  }
  sortByKey(added);
  sortByKey(deleted);
  const queues = new Map<string, { items: RawChange[]; next: number }>();
  for (const d of deleted) {
    if (d.oldHash === undefined) continue;
    const queue = queues.get(d.oldHash);
    if (queue) queue.items.push(d);
    else queues.set(d.oldHash, { items: [d], next: 0 });
  }
  const paired = new Set<RawChange>();
  for (const a of added) {
    const queue = a.newHash === undefined ? undefined : queues.get(a.newHash);
    const d = queue && queue.next < queue.items.length ? queue.items[queue.next++] : undefined;
    if (!d) {
      result.push(a);
      continue;
    }
    paired.add(d);
    result.push({ kind: "renamed", path: a.path, oldPath: d.path, isDir: a.isDir, hash: a.newHash!, oldSize: d.oldSize, newSize: a.newSize, dataset: a.dataset, oldDataset: d.dataset });
  }
  for (const d of deleted) if (!paired.has(d)) result.push(d);
  return result;
}

/**
 * Sorts in place by Python's ordering of key tuples (`("data", "a-b")` vs `("data", "a", "b")`),
 * not of joined strings, each part compared by code point (`Ａ` U+FF21 before `😀` U+1F600, which
 * UTF-16 order reverses): which deletion an addition pairs with depends on it.
 */
function sortByKey(changes: RawChange[]): void {
  const keys = new Map(changes.map((c) => [c, c.path.split("/")]));
  changes.sort((a, b) => {
    const x = keys.get(a)!;
    const y = keys.get(b)!;
    for (let k = 0; k < Math.min(x.length, y.length); k++) {
      if (x[k] !== y[k]) return compareCodePoints(x[k]!, y[k]!);
    }
    return x.length - y.length;
  });
}
