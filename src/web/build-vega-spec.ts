import type { ComparedPlot, ConfusionPlot, CurvePlot } from "../core/plots/plot-comparison.js";
import { SERIES_COLORS } from "../report/plots/series-colors.js";

/** A Vega-Lite spec as plain JSON (the page compiles and draws it in the browser). */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

/** Colours follow the page's text colour, so axes read in light and dark themes. */
const THEME = {
  background: null,
  view: { stroke: null },
  axis: { labelColor: "currentColor", titleColor: "currentColor", domainColor: "currentColor", tickColor: "currentColor", gridColor: "#8888", gridOpacity: 0.35 },
  legend: { labelColor: "currentColor", titleColor: "currentColor", labelLimit: 400 },
  header: { labelColor: "currentColor", titleColor: "currentColor" },
  title: { color: "currentColor" },
  text: { color: "currentColor" },
};

/**
 * A compared plot as an interactive Vega-Lite chart: curves with base dashed and head solid (so
 * the sides read without colour), zoom and pan on the scales, a click on the legend isolates a
 * series, tooltips on points; confusion matrices as two heatmaps (base, head) with the counts
 * written in the cells. No URL anywhere: the data is inline.
 */
export function buildVegaSpec(plot: ComparedPlot, labels: { base: string; head: string }): VegaLiteSpec {
  return plot.kind === "curve" ? curveSpec(plot, labels) : confusionSpec(plot, labels);
}

function seriesName(side: "base" | "head", label: string, labels: { base: string; head: string }, many: boolean): string {
  return `${side} (${side === "base" ? labels.base : labels.head})${many ? `: ${label}` : ""}`;
}

function curveSpec(plot: CurvePlot, labels: { base: string; head: string }): VegaLiteSpec {
  const many = new Set(plot.series.map((s) => s.label)).size > 1;
  const fields = [...new Set(plot.series.map((s) => s.label))];
  const values = plot.series.flatMap((s) =>
    s.points.map(([x, y], i) => ({ x: plot.xCategories ? (plot.xCategories[x] ?? String(x)) : x, y, series: seriesName(s.side, s.label, labels, many), side: s.side, i })),
  );
  const names = plot.series.map((s) => seriesName(s.side, s.label, labels, many));
  const colors = plot.series.map((s) => SERIES_COLORS[(fields.indexOf(s.label) * 2 + (s.side === "head" ? 1 : 0)) % SERIES_COLORS.length]!.hex);
  const x = plot.xCategories
    ? { field: "x", type: "ordinal", title: plot.xLabel, sort: plot.xCategories }
    : { field: "x", type: "quantitative", title: plot.xLabel, scale: { zero: false } };
  return {
    description: `${plot.title}: ${names.join(", ")}`,
    config: THEME,
    width: "container",
    height: 280,
    data: { values },
    mark: { type: "line", point: { size: 12, opacity: 0 }, tooltip: true, strokeWidth: 2 },
    params: [
      { name: "zoom", select: "interval", bind: "scales" },
      { name: "pick", select: { type: "point", fields: ["series"] }, bind: "legend" },
    ],
    encoding: {
      x,
      y: { field: "y", type: "quantitative", title: plot.yLabel, scale: { zero: false } },
      color: { field: "series", type: "nominal", scale: { domain: names, range: colors }, legend: { orient: "bottom", title: null, direction: "vertical" } },
      strokeDash: { field: "side", type: "nominal", scale: { domain: ["base", "head"], range: [[6, 4], [1, 0]] }, legend: null },
      order: { field: "i", type: "quantitative" },
      opacity: { condition: { param: "pick", value: 1 }, value: 0.15 },
      tooltip: [
        { field: "series", type: "nominal", title: "series" },
        { field: "x", type: plot.xCategories ? "ordinal" : "quantitative", title: plot.xLabel },
        { field: "y", type: "quantitative", title: plot.yLabel },
      ],
    },
  };
}

function confusionSpec(plot: ConfusionPlot, labels: { base: string; head: string }): VegaLiteSpec {
  const values: Array<Record<string, string | number>> = [];
  for (const side of ["base", "head"] as const) {
    const matrix = plot[side];
    if (!matrix) continue;
    plot.classes.forEach((row, r) => {
      const sum = matrix[r]!.reduce((a, b) => a + b, 0);
      plot.classes.forEach((column, c) => {
        const count = matrix[r]![c]!;
        const share = sum === 0 ? 0 : count / sum;
        values.push({ side: `${side} (${labels[side]})`, row, column, count, share, text: plot.normalized ? share.toFixed(2) : String(count) });
      });
    });
  }
  const sides = values.map((v) => v.side).filter((s, i, all) => all.indexOf(s) === i);
  const value = plot.normalized ? "share" : "count";
  return {
    description: `${plot.title}: ${sides.join(" and ")}`,
    config: THEME,
    data: { values },
    facet: { column: { field: "side", type: "nominal", sort: sides, title: null } },
    spec: {
      width: 200,
      height: 200,
      encoding: {
        x: { field: "column", type: "ordinal", sort: plot.classes, title: plot.xLabel },
        y: { field: "row", type: "ordinal", sort: plot.classes, title: plot.yLabel },
      },
      layer: [
        { mark: { type: "rect", tooltip: true }, encoding: { color: { field: value, type: "quantitative", scale: { scheme: "blues" }, legend: null }, tooltip: [{ field: "row", title: plot.yLabel }, { field: "column", title: plot.xLabel }, { field: "count" }, { field: "share", format: ".2f" }] } },
        { mark: { type: "text", fontWeight: "bold" }, encoding: { text: { field: "text" }, color: { condition: { test: "datum.share > 0.5", value: "white" }, value: "black" } } },
      ],
    },
    resolve: { scale: { color: "shared" } },
  };
}
