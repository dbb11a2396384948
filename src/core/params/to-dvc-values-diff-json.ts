import { formatPythonValue } from "./format-python-value.js";
import { isPyDict, type PyNumber } from "./py-number.js";
import type { ValueChange } from "./value-change.js";

export type DvcValuesDiffJson = Record<string, Record<string, { old: unknown; new: unknown; diff?: PyNumber }>>;

/**
 * Changes -> what `dvc params diff --json` / `dvc metrics diff --json` print: file -> key ->
 * `{old, new[, diff]}`, absent values as null, lists as Python's `str()` (`"[8, 4]"`). Numbers
 * keep their Python type: print with `stringifyPyJson` to get DVC's exact text.
 */
export function toDvcValuesDiffJson(changes: readonly ValueChange[]): DvcValuesDiffJson {
  const out: DvcValuesDiffJson = {};
  for (const c of changes) {
    const file = (out[c.path] ??= {});
    const entry: { old: unknown; new: unknown; diff?: PyNumber } = { old: jsonValue(c.old), new: jsonValue(c.new) };
    if (c.diff !== undefined) entry.diff = c.diff;
    Object.defineProperty(file, c.key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return formatPythonValue(value);
  if (isPyDict(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: jsonValue(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
