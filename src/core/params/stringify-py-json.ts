import { formatPythonFloat } from "./format-python-value.js";

/**
 * `JSON.stringify(value, null, indent)` that prints numbers as Python's `json.dumps` does, so
 * output matches DVC's `--json`: big ints exactly (bigint), whole floats with `.0` (boxed
 * `Number`), `Infinity`, `-Infinity` and `NaN` as Python writes them.
 */
export function stringifyPyJson(value: unknown, indent = 2): string {
  const pad = " ".repeat(indent);
  const write = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Number) return floatText(v.valueOf());
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : floatText(v);
    if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
    const inner = pad.repeat(depth + 1);
    const close = pad.repeat(depth);
    if (Array.isArray(v)) return v.length === 0 ? "[]" : `[\n${v.map((x) => inner + write(x, depth + 1)).join(",\n")}\n${close}]`;
    if (typeof v === "object") {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      return entries.length === 0 ? "{}" : `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${write(x, depth + 1)}`).join(",\n")}\n${close}}`;
    }
    return "null";
  };
  return write(value, 0);
}

function floatText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  return formatPythonFloat(n);
}
