import { formatPythonFloat, formatPythonNumber, formatPythonValue } from "../../core/params/format-python-value.js";
import type { ValueChange } from "../../core/params/value-change.js";
import { renderMarkdownCell } from "../format/render-markdown-cell.js";

/**
 * `dvc metrics diff` as a markdown table: Path, Metric, base, head, Change; non-integer numbers
 * rounded to `precision` decimals (DVC's default 5), `-` where a side has no value or the change
 * is not a number. Empty string when nothing changed.
 */
export function renderMetricsTable(changes: readonly ValueChange[], options: { baseLabel?: string; headLabel?: string; precision?: number } = {}): string {
  if (changes.length === 0) return "";
  const precision = options.precision ?? 5;
  const cell = (value: unknown): string => {
    if (value === undefined || value === null) return "-";
    if (value instanceof Number) return formatPythonFloat(round(value.valueOf(), precision));
    if (typeof value === "number") return Number.isInteger(value) ? formatPythonNumber(value) : formatPythonFloat(round(value, precision));
    return renderMarkdownCell(formatPythonValue(value));
  };
  const rows = [
    `| Path | Metric | ${renderMarkdownCell(options.baseLabel ?? "base")} | ${renderMarkdownCell(options.headLabel ?? "head")} | Change |`,
    "| --- | --- | --- | --- | --- |",
    ...changes.map((c) => `| ${renderMarkdownCell(c.path)} | ${renderMarkdownCell(c.key)} | ${cell(c.old)} | ${cell(c.new)} | ${cell(c.diff)} |`),
  ];
  return rows.join("\n") + "\n";
}

/** Python's `round(x, n)` on the decimal value of x (ties away from zero, which binary floats rarely hit). */
function round(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  return Number(value.toFixed(Math.min(100, Math.max(0, digits))));
}
