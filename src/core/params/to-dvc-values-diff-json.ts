import { formatPythonValue } from "./format-python-value.js";
import type { ValueChange } from "./value-change.js";

export type DvcValuesDiffJson = Record<string, Record<string, { old: unknown; new: unknown; diff?: number }>>;

/**
 * Changes -> what `dvc params diff --json` / `dvc metrics diff --json` print: file -> key ->
 * `{old, new[, diff]}`, absent values as null, lists as Python's `str()` (`"[8, 4]"`).
 */
export function toDvcValuesDiffJson(changes: readonly ValueChange[]): DvcValuesDiffJson {
  const out: DvcValuesDiffJson = {};
  for (const c of changes) {
    const file = (out[c.path] ??= {});
    const entry: { old: unknown; new: unknown; diff?: number } = { old: jsonValue(c.old), new: jsonValue(c.new) };
    if (c.diff !== undefined) entry.diff = c.diff;
    file[c.key] = entry;
  }
  return out;
}

function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return formatPythonValue(value);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonValue(v)]));
  }
  return value;
}
