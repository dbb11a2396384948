import { formatProblem } from "../problem.js";
import { parsePlotData, type PlotData } from "./parse-plot-data.js";

/** Files by repository path -> text. */
export type PlotFileTexts = Readonly<Record<string, string>>;

/** Reads one side's plot files on demand, each parsed once; problems are collected, once per file. */
export interface PlotFileReader {
  readonly side: "base" | "head";
  readonly paths: readonly string[];
  /** The file's data points, or undefined when the side has no such file or it cannot be read. */
  read(file: string): PlotData | undefined;
  has(file: string): boolean;
}

export function createPlotFileReader(side: "base" | "head", texts: PlotFileTexts, problems: string[]): PlotFileReader {
  const cache = new Map<string, PlotData | undefined>();
  return {
    side,
    paths: Object.keys(texts).sort(),
    has: (file) => Object.hasOwn(texts, file),
    read(file) {
      if (cache.has(file)) return cache.get(file);
      let data: PlotData | undefined;
      if (Object.hasOwn(texts, file)) {
        const parsed = parsePlotData({ file, text: texts[file]! });
        if (parsed.ok) {
          data = parsed.value;
          for (const note of data.notes) problems.push(`${note} (${side})`);
        } else problems.push(`${formatProblem(parsed.error)} (${side})`);
      }
      cache.set(file, data);
      return data;
    },
  };
}
