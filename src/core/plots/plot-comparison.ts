import { z } from "zod";
import { PLOT_TEMPLATES } from "./plot-definition.js";

/**
 * Base and head of every DVC plot of a run, ready to draw: curves as (x, y) points (decimated to
 * a bounded count), confusion matrices as counts. Small and JSON-shaped: it is stored with the
 * job's result, rendered in the comment and the check run (Mermaid, tables) and on the job page
 * (Vega-Lite). Parsed with its schema wherever it is read back.
 */
const curveSeriesSchema = z.object({
  side: z.enum(["base", "head"]),
  /** Which field (and file, when the plot has several) the series draws. */
  label: z.string(),
  /** (x, y) in the file's order; x is the category index when the plot's x is categorical. */
  points: z.array(z.tuple([z.number(), z.number()])),
  /** Points in the file before decimation. */
  total: z.number().int().nonnegative(),
});

const plotCommon = {
  id: z.string(),
  title: z.string(),
  xLabel: z.string(),
  yLabel: z.string(),
  /** What the reader should know: a missing base, rows left out, fields not found. */
  notes: z.array(z.string()),
};

export const curvePlotSchema = z.object({
  kind: z.literal("curve"),
  ...plotCommon,
  template: z.enum(PLOT_TEMPLATES),
  /** Names of x values when they are not numbers (x of a point is an index into this list). */
  xCategories: z.array(z.string()).nullable(),
  series: z.array(curveSeriesSchema),
});

export const confusionPlotSchema = z.object({
  kind: z.literal("confusion"),
  ...plotCommon,
  /** `confusion_normalized`: each row (a y value) shown as shares that add up to 1, as DVC does. */
  normalized: z.boolean(),
  /** The classes, sorted as DVC sorts its axes (ascending; numerically when all are numbers). */
  classes: z.array(z.string()),
  /** counts[row][column]: rows are values of the y field, columns values of the x field (DVC's picture). */
  head: z.array(z.array(z.number().int().nonnegative())).nullable(),
  base: z.array(z.array(z.number().int().nonnegative())).nullable(),
});

export const plotComparisonSchema = z.object({
  plots: z.array(z.discriminatedUnion("kind", [curvePlotSchema, confusionPlotSchema])),
  /** Plots declared but not drawn, with the reason (an image, a path outside the repository...). */
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  /** Files that could not be read, one line each (file: what is wrong). */
  problems: z.array(z.string()),
});

export type CurveSeries = z.infer<typeof curveSeriesSchema>;
export type CurvePlot = z.infer<typeof curvePlotSchema>;
export type ConfusionPlot = z.infer<typeof confusionPlotSchema>;
export type ComparedPlot = CurvePlot | ConfusionPlot;
export type PlotComparison = z.infer<typeof plotComparisonSchema>;

export const EMPTY_PLOT_COMPARISON: PlotComparison = { plots: [], skipped: [], problems: [] };
