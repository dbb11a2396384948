import type { ConfusionPlot } from "../../core/plots/plot-comparison.js";
import { renderUntrustedCode } from "../format/render-untrusted-text.js";

/**
 * A confusion matrix as a markdown table: rows are the y field's classes, columns the x field's
 * (DVC's picture), each cell the head's count and its change from the base in words-free signs
 * (`+3`, `−2`); `confusion_normalized` shows each row's shares (they add up to 1), as DVC does.
 */
export function renderConfusionTable(plot: ConfusionPlot): string {
  const head = plot.normalized && plot.head ? normalizeRows(plot.head) : plot.head;
  const base = plot.normalized && plot.base ? normalizeRows(plot.base) : plot.base;
  const cls = (c: string) => renderUntrustedCode(c, { max: 30, table: true });
  const corner = `${renderUntrustedCode(plot.yLabel, { max: 30, table: true })} ＼ ${renderUntrustedCode(plot.xLabel, { max: 30, table: true })}`;
  const lines = [`| ${corner} | ${plot.classes.map(cls).join(" | ")} |`, `| --- | ${plot.classes.map(() => "---:").join(" | ")} |`];
  plot.classes.forEach((rowClass, r) => {
    const cells = plot.classes.map((_, c) => cell(head?.[r]?.[c] ?? 0, base?.[r]?.[c], plot.normalized, r === c));
    lines.push(`| **${cls(rowClass)}** | ${cells.join(" | ")} |`);
  });
  return lines.join("\n");
}

function cell(value: number, base: number | undefined, normalized: boolean, diagonal: boolean): string {
  const shown = normalized ? value.toFixed(2) : String(value);
  const text = diagonal ? `**${shown}**` : shown;
  if (base === undefined) return text;
  const delta = value - base;
  const rounded = normalized ? Number(delta.toFixed(2)) : delta;
  if (rounded === 0) return `${text} (=)`;
  const magnitude = normalized ? Math.abs(delta).toFixed(2) : String(Math.abs(delta));
  return `${text} (${delta > 0 ? "+" : "−"}${magnitude})`;
}

/** Each row divided by its sum (a row of zeros stays zeros). */
export function normalizeRows(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum === 0 ? 0 : v / sum));
  });
}
