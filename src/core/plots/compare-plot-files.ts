import { z } from "zod";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import { buildPlotComparison } from "./build-plot-comparison.js";
import { parsePlotDefinitions, type PlotDefinitions } from "./parse-plot-definitions.js";
import type { PlotComparison } from "./plot-comparison.js";
import { plotFileKind } from "./plot-definition.js";

const texts = z.record(z.string(), z.string());

/** What one plot comparison reads: dvc.yaml (at the head), and the plot files of head and base. */
export const plotFilesSchema = z.object({
  /** dvc.yaml's repository path and text; absent: every head file is a default (linear) plot. */
  dvcYaml: z.object({ file: z.string(), text: z.string() }).optional(),
  head: texts,
  /** Absent: there is no base to compare with. */
  base: texts.optional(),
});
export type PlotFiles = z.infer<typeof plotFilesSchema>;

/** The files as one text (the parse workers take a text per request). */
export function encodePlotFiles(files: PlotFiles): string {
  return JSON.stringify(files);
}

/**
 * Base against head for every plot of a run, from the files `encodePlotFiles` packed: the
 * definitions of dvc.yaml (or a default linear plot per head file when there is none), then the
 * comparison. Bounded by PLOT_LIMITS; never throws.
 */
export function comparePlotFiles(params: { file: string; text: string }): Result<PlotComparison, Problem[]> {
  let envelope: unknown;
  try {
    envelope = JSON.parse(params.text);
  } catch {
    return err([{ file: params.file, message: "plot files could not be read (not a plot request)" }]);
  }
  const files = plotFilesSchema.safeParse(envelope);
  if (!files.success) return err([{ file: params.file, message: "plot files could not be read (not a plot request)" }]);
  const { dvcYaml, head, base } = files.data;
  let definitions: PlotDefinitions;
  if (dvcYaml) {
    const parsed = parsePlotDefinitions(dvcYaml);
    if (!parsed.ok) return parsed;
    definitions = parsed.value;
  } else definitions = defaultDefinitions(Object.keys(head));
  return ok(buildPlotComparison({ definitions, head, base }));
}

/** DVC draws a plot file nobody declared with the linear template, x the row index, y its last field. */
function defaultDefinitions(files: readonly string[]): PlotDefinitions {
  return {
    definitions: files.filter((f) => plotFileKind(f) === "data").sort().map((file) => ({ id: file, template: "linear", title: undefined, xLabel: undefined, yLabel: undefined, sources: [{ file, x: undefined, y: undefined, xFile: undefined }] })),
    skipped: [],
  };
}
