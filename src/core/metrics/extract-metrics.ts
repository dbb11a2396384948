/**
 * DVC's `_extract_metrics`: keeps numbers, strings and booleans, recurses into mappings, and
 * drops lists, nulls and mappings left empty (DVC cannot compare them as metrics).
 */
export function extractMetrics(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, val] of Object.entries(value as Record<string, unknown>)) {
    const m = extractMetrics(val);
    if (m !== undefined && !(m !== null && typeof m === "object" && Object.keys(m).length === 0)) out[key] = m;
  }
  return out;
}
