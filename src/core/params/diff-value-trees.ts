import { compareCodePoints } from "../compare-code-points.js";
import { flattenParams } from "./flatten-params.js";
import { isPyDict as isDict, isPyNumber, pyNumbersEqual, pySubtract, type PyNumber } from "./py-number.js";
import type { ValueChange } from "./value-change.js";

const UNABLE = "unable to parse";

/**
 * DVC's `dvc.utils.diff.diff` for params and metrics: per file, flatten both versions, compare
 * every key with Python's equality (1 == 1.0 == True), add `diff` for numbers. A file missing on
 * one side compares as empty (absent values). Sorted by file, then key.
 * `all` keeps unchanged keys too (`--all`).
 */
export function diffValueTrees(params: {
  base: ReadonlyMap<string, unknown>;
  head: ReadonlyMap<string, unknown>;
  all?: boolean;
}): ValueChange[] {
  const all = params.all ?? false;
  const paths = [...new Set([...params.base.keys(), ...params.head.keys()])].sort(compareCodePoints);
  const out: ValueChange[] = [];
  for (const path of paths) {
    const old = params.base.get(path) ?? {};
    const neu = params.head.get(path) ?? {};
    if (isDict(old) || isDict(neu)) {
      const a = flatOrUnparsable(old);
      const b = flatOrUnparsable(neu);
      const keys = [...new Set([...a.keys(), ...b.keys()])].sort(compareCodePoints);
      for (const key of keys) {
        const change = diffValues(path, key, a.has(key) ? a.get(key) : a.fallback, b.has(key) ? b.get(key) : b.fallback, all);
        if (change) out.push(change);
      }
    } else {
      const change = diffValues(path, "", old, neu, all);
      if (change) out.push(change);
    }
  }
  return out;
}

function flatOrUnparsable(value: unknown): Map<string, unknown> & { fallback: unknown } {
  if (isDict(value)) return Object.assign(flattenParams(value), { fallback: undefined });
  const empty = value === undefined || value === null || value === "" || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
  return Object.assign(new Map<string, unknown>(), { fallback: empty ? undefined : UNABLE });
}

function diffValues(path: string, key: string, old: unknown, neu: unknown, all: boolean): ValueChange | undefined {
  if (Array.isArray(old) && Array.isArray(neu) && old.length === 1 && neu.length === 1) return diffValues(path, key, old[0], neu[0], all);
  const changed = !pyEquals(old, neu);
  if (!changed && !all) return undefined;
  const diff = isNumeric(old) && isNumeric(neu) ? pySubtract(neu, old) : undefined;
  return diff === undefined ? { path, key, old, new: neu, changed } : { path, key, old, new: neu, diff, changed };
}

/** Python numbers and bools (which are ints to Python). */
function isNumeric(v: unknown): v is PyNumber | boolean {
  return isPyNumber(v) || typeof v === "boolean";
}

/** Python `==` on JSON-like values: numbers and booleans compare by value, containers deeply. */
function pyEquals(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return pyNumbersEqual(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, k) => pyEquals(x, b[k]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return a === b || ((a === undefined || a === null) && (b === undefined || b === null));
}
