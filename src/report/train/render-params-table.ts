import type { ValueChange } from "../../core/params/value-change.js";
import { formatPythonValue } from "../../core/params/format-python-value.js";
import { renderMarkdownCell } from "../format/render-markdown-cell.js";

/**
 * `dvc params diff` as a markdown table: Path, Param, base, head; `-` where a side has no value,
 * lists as Python prints them. Empty string when nothing changed (DVC prints nothing too).
 */
export function renderParamsTable(changes: readonly ValueChange[], options: { baseLabel?: string; headLabel?: string } = {}): string {
  if (changes.length === 0) return "";
  const rows = [
    `| Path | Param | ${renderMarkdownCell(options.baseLabel ?? "base")} | ${renderMarkdownCell(options.headLabel ?? "head")} |`,
    "| --- | --- | --- | --- |",
    ...changes.map((c) => `| ${renderMarkdownCell(c.path)} | ${renderMarkdownCell(c.key)} | ${cell(c.old)} | ${cell(c.new)} |`),
  ];
  return rows.join("\n") + "\n";
}

function cell(value: unknown): string {
  return value === undefined || value === null ? "-" : renderMarkdownCell(formatPythonValue(value));
}
