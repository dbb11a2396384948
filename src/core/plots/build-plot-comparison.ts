import { buildConfusionPlot } from "./build-confusion-plot.js";
import { buildCurvePlot } from "./build-curve-plot.js";
import type { PlotDefinitions, SkippedPlot } from "./parse-plot-definitions.js";
import type { ComparedPlot, PlotComparison } from "./plot-comparison.js";
import { isConfusionTemplate, plotFileKind, type PlotSource } from "./plot-definition.js";
import { PLOT_LIMITS } from "./plot-limits.js";
import { createPlotFileReader, type PlotFileReader, type PlotFileTexts } from "./read-plot-files.js";

/**
 * The plots of a run, base against head: each definition's data files are read from both sides
 * (`base` undefined: there is no base to compare with), curves get their points, confusion
 * templates their counts. A plot whose head file is missing is skipped with the reason; a missing
 * base file is a note on the plot. Pure and bounded (see `PLOT_LIMITS`); never throws.
 */
export function buildPlotComparison(params: { definitions: PlotDefinitions; head: PlotFileTexts; base: PlotFileTexts | undefined }): PlotComparison {
  const problems: string[] = [];
  const skipped: SkippedPlot[] = [...params.definitions.skipped];
  const head = createPlotFileReader("head", params.head, problems);
  const base = params.base ? createPlotFileReader("base", params.base, problems) : undefined;
  const plots: ComparedPlot[] = [];
  for (const def of params.definitions.definitions) {
    const sources = expandFolders(def.sources, head);
    const present = sources.filter((s) => head.has(s.file));
    if (present.length === 0) {
      const files = [...new Set(def.sources.map((s) => `\`${s.file}\``))].join(", ");
      skipped.push({ id: def.id, reason: `the run wrote no ${files}` });
      continue;
    }
    const plot = isConfusionTemplate(def.template) ? buildConfusionPlot({ def, source: present[0]!, head, base }) : buildCurvePlot({ def, sources: present, head, base });
    if ("skip" in plot) skipped.push({ id: def.id, reason: plot.skip });
    else plots.push(plot);
  }
  return { plots, skipped, problems };
}

/** A source naming a folder (`plots/`) stands for each data file under it that the head has. */
function expandFolders(sources: readonly PlotSource[], head: PlotFileReader): PlotSource[] {
  const out: PlotSource[] = [];
  for (const source of sources) {
    if (plotFileKind(source.file) !== "other") {
      out.push(source);
      continue;
    }
    const prefix = `${source.file.replace(/\/+$/, "")}/`;
    for (const file of head.paths) {
      if (file.startsWith(prefix) && plotFileKind(file) === "data") out.push({ ...source, file });
    }
  }
  return out.slice(0, PLOT_LIMITS.files);
}
