import type { CurvePlot, CurveSeries } from "../../core/plots/plot-comparison.js";
import { resampleCurve } from "../../core/plots/resample-curve.js";
import { renderMermaidText, renderUntrustedCode } from "../format/render-untrusted-text.js";
import { SERIES_COLORS } from "./series-colors.js";

/** Points per line in the comment: enough for a curve's shape, few enough to read and to fit. */
export const CHART_POINTS = 50;

export interface SideLabels {
  readonly base: string;
  readonly head: string;
}

/**
 * A curve plot as a Mermaid `xychart-beta` that GitHub draws: one line per series (base first,
 * then head, for each field), resampled on one evenly spaced x grid (xychart spaces points
 * evenly), axis titles from the definition, and a text legend above it.
 */
export function renderCurveChart(plot: CurvePlot, sides: SideLabels): string {
  const series = orderSeries(plot.series);
  const axis = plot.xCategories ? categoricalAxis(plot, series) : numericAxis(plot, series);
  // Each field has a pair of colours, base then head, so a side keeps its colour when the other is missing.
  const labels = [...new Set(series.map((s) => s.label))];
  const palette = series.map((s) => SERIES_COLORS[(labels.indexOf(s.label) * 2 + (s.side === "head" ? 1 : 0)) % SERIES_COLORS.length]!);
  const legend = series
    .map((s, i) => `${palette[i]!.square} ${s.side} ${s.side === "base" ? sides.base : sides.head}${series.length > 2 || hasManyFields(series) ? ` ${renderUntrustedCode(s.label, { max: 60 })}` : ""}`)
    .join(" · ");
  const init = JSON.stringify({ themeVariables: { xyChart: { plotColorPalette: palette.map((c) => c.hex).join(", ") } } });
  return [
    `<sub>${legend}</sub>`,
    "",
    "```mermaid",
    `%%{init: ${init}}%%`,
    "xychart-beta",
    `  title "${renderMermaidText(plot.title)}"`,
    `  x-axis ${axis.x}`,
    `  y-axis "${renderMermaidText(plot.yLabel)}"`,
    ...axis.lines.map((values) => `  line [${values.map(formatNumber).join(", ")}]`),
    "```",
  ].join("\n");
}

/** Base before head for each label, labels in their first order. */
function orderSeries(series: readonly CurveSeries[]): CurveSeries[] {
  const labels = [...new Set(series.map((s) => s.label))];
  return labels.flatMap((label) => (["base", "head"] as const).flatMap((side) => series.filter((s) => s.label === label && s.side === side)));
}

function hasManyFields(series: readonly CurveSeries[]): boolean {
  return new Set(series.map((s) => s.label)).size > 1;
}

function numericAxis(plot: CurvePlot, series: readonly CurveSeries[]): { x: string; lines: number[][] } {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (const [x] of s.points) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (!Number.isFinite(min)) min = max = 0;
  const steps = min === max ? 1 : CHART_POINTS - 1;
  const grid = Array.from({ length: steps + 1 }, (_, i) => (steps === 0 ? min : min + ((max - min) * i) / steps));
  const mode = plot.template === "scatter" || plot.template === "smooth" ? "mean" : "interpolate";
  return {
    x: `"${renderMermaidText(plot.xLabel)}" ${formatNumber(min)} --> ${formatNumber(max === min ? min + 1 : max)}`,
    lines: series.map((s) => resampleCurve(s.points, grid, mode)),
  };
}

/** Named x values: up to CHART_POINTS of them, evenly picked, each series' last y there (held across gaps). */
function categoricalAxis(plot: CurvePlot, series: readonly CurveSeries[]): { x: string; lines: number[][] } {
  const categories = plot.xCategories ?? [];
  const count = Math.min(categories.length, CHART_POINTS);
  const picked = Array.from({ length: count }, (_, i) => (count <= 1 ? 0 : Math.round((i * (categories.length - 1)) / (count - 1))));
  const lines = series.map((s) => {
    const byIndex = new Map<number, number>();
    for (const [x, y] of s.points) byIndex.set(x, y);
    let held = s.points[0]?.[1] ?? 0;
    return picked.map((index) => (held = byIndex.get(index) ?? held));
  });
  const names = picked.map((i) => `"${renderMermaidText(categories[i] ?? "", 20)}"`);
  return { x: `"${renderMermaidText(plot.xLabel)}" [${names.join(", ")}]`, lines };
}

/** A number as xychart reads it: plain decimal notation, 4 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "0";
  const v = Math.max(-1e15, Math.min(1e15, value));
  if (v === 0 || Math.abs(v) < 1e-6) return "0";
  const decimals = Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(Math.abs(v)))));
  const text = v.toFixed(decimals);
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}
