import { isPyDict, isPyNumber } from "../params/py-number.js";

/**
 * DVC's `_extract_metrics`: keeps numbers, strings and booleans, recurses into mappings, and
 * drops lists, nulls and mappings left empty (DVC cannot compare them as metrics).
 */
export function extractMetrics(value: unknown): unknown {
  if (isPyNumber(value) || typeof value === "string" || typeof value === "boolean") return value;
  if (!isPyDict(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, val] of Object.entries(value)) {
    const m = extractMetrics(val);
    if (m !== undefined && !(isPyDict(m) && Object.keys(m).length === 0)) Object.defineProperty(out, key, { value: m, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
