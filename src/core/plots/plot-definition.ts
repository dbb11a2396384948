/** DVC's built-in templates for data-series plots (`dvc plots templates`). */
export const PLOT_TEMPLATES = ["linear", "simple", "scatter", "smooth", "confusion", "confusion_normalized"] as const;
export type PlotTemplate = (typeof PLOT_TEMPLATES)[number];

export function isPlotTemplate(name: string): name is PlotTemplate {
  return (PLOT_TEMPLATES as readonly string[]).includes(name);
}

export function isConfusionTemplate(template: PlotTemplate): boolean {
  return template === "confusion" || template === "confusion_normalized";
}

/** One y field of one file, drawn against an x field (of the same or another file) or the row index. */
export interface PlotSource {
  /** Repository path of the data file, or of a folder whose data files all count. */
  readonly file: string;
  /** The y field; undefined: DVC's default, the last field of the first data point. */
  readonly y: string | undefined;
  /** The x field; undefined: the row index (DVC's `step`). */
  readonly x: string | undefined;
  /** The file the x field comes from, joined by row index; undefined: `file`. */
  readonly xFile: string | undefined;
}

/** A plot as dvc.yaml declares it (stage `plots:` or top-level `plots:`), with paths resolved. */
export interface PlotDefinition {
  /** DVC's plot id: the path relative to dvc.yaml's folder, or the top-level plot's name. */
  readonly id: string;
  readonly template: PlotTemplate;
  readonly title: string | undefined;
  readonly xLabel: string | undefined;
  readonly yLabel: string | undefined;
  readonly sources: readonly PlotSource[];
}

/** File extensions DVC reads as data series. */
export const PLOT_DATA_EXTENSIONS = [".json", ".yaml", ".yml", ".csv", ".tsv"] as const;
/** File extensions DVC shows as images (not drawn in the comment). */
export const PLOT_IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg", ".gif", ".svg"] as const;

export function plotFileKind(path: string): "data" | "image" | "other" {
  const lower = path.toLowerCase();
  if (PLOT_DATA_EXTENSIONS.some((e) => lower.endsWith(e))) return "data";
  if (PLOT_IMAGE_EXTENSIONS.some((e) => lower.endsWith(e))) return "image";
  return "other";
}
