import { decimatePoints } from "./decimate-points.js";
import type { PlotData } from "./parse-plot-data.js";
import type { CurvePlot, CurveSeries } from "./plot-comparison.js";
import type { PlotDefinition, PlotSource } from "./plot-definition.js";
import { PLOT_LIMITS } from "./plot-limits.js";
import type { PlotFileReader } from "./read-plot-files.js";
import { toFiniteNumber } from "./to-finite-number.js";

interface RawSeries {
  readonly side: "base" | "head";
  readonly label: string;
  readonly xs: ReadonlyArray<string | number>;
  readonly ys: readonly number[];
}

/** A linear, simple, scatter or smooth plot: one series per y field and side, head and base. */
export function buildCurvePlot(p: { def: PlotDefinition; sources: readonly PlotSource[]; head: PlotFileReader; base: PlotFileReader | undefined }): CurvePlot | { skip: string } {
  const { def } = p;
  const notes: string[] = [];
  const raw: RawSeries[] = [];
  const yFields = new Set<string>();
  const many = p.sources.length > 1;
  for (const source of p.sources) {
    for (const reader of [p.base, p.head]) {
      if (!reader) continue;
      if (!reader.has(source.file)) {
        if (reader.side === "base") notes.push(`The base has no \`${source.file}\`: head only.`);
        continue;
      }
      const series = readSeries(reader, source, many, notes);
      if (series) {
        raw.push(series);
        yFields.add(series.label);
      }
    }
  }
  if (!p.base) notes.push("No base to compare with: head only.");
  if (!raw.some((s) => s.side === "head")) return { skip: notes.join(" ") || "no data points" };
  const kept = raw.slice(0, PLOT_LIMITS.seriesPerPlot);
  if (raw.length > kept.length) notes.push(`Only the first ${PLOT_LIMITS.seriesPerPlot} series are drawn.`);

  const categorical = kept.some((s) => s.xs.some((x) => typeof x === "string"));
  const categories = new Map<string, number>();
  const xIndex = (x: string | number) => {
    const key = String(x);
    let i = categories.get(key);
    if (i === undefined) categories.set(key, (i = categories.size));
    return i;
  };
  const series: CurveSeries[] = kept.map((s) => {
    const points: Array<[number, number]> = s.ys.map((y, i) => [categorical ? xIndex(s.xs[i]!) : (s.xs[i] as number), y]);
    return { side: s.side, label: s.label, points: decimatePoints(points, PLOT_LIMITS.storedPoints), total: points.length };
  });
  const first = p.sources[0]!;
  return {
    kind: "curve",
    id: def.id,
    title: def.title ?? def.id,
    template: def.template,
    xLabel: def.xLabel ?? first.x ?? "step",
    yLabel: def.yLabel ?? (yFields.size === 1 && !many ? [...yFields][0]! : "y"),
    notes: [...new Set(notes)],
    xCategories: categorical ? [...categories.keys()].map((c) => c.slice(0, PLOT_LIMITS.labelChars)) : null,
    series,
  };
}

/** One side's (x, y) values of one source; rows without a numeric y are left out. */
function readSeries(reader: PlotFileReader, source: PlotSource, many: boolean, notes: string[]): RawSeries | undefined {
  const data = reader.read(source.file);
  if (!data || data.datapoints.length === 0) return undefined;
  const firstPoint = data.datapoints[0]!;
  const y = source.y ?? Object.keys(firstPoint).at(-1);
  if (y === undefined || !(y in firstPoint)) {
    notes.push(`\`${source.file}\` (${reader.side}) has no field \`${y ?? ""}\`; it has ${fieldList(firstPoint)}.`);
    return undefined;
  }
  let xData: PlotData | undefined = data;
  if (source.xFile) xData = reader.read(source.xFile);
  if (source.x !== undefined && !(xData?.datapoints[0] && source.x in xData.datapoints[0])) {
    notes.push(`\`${source.xFile ?? source.file}\` (${reader.side}) has no field \`${source.x}\`.`);
    return undefined;
  }
  const xs: Array<string | number> = [];
  const ys: number[] = [];
  let dropped = 0;
  const rows = source.xFile ? Math.min(data.datapoints.length, xData?.datapoints.length ?? 0) : data.datapoints.length;
  for (let i = 0; i < rows; i++) {
    const yValue = toFiniteNumber(data.datapoints[i]![y]);
    const rawX = source.x === undefined ? i : xData!.datapoints[i]![source.x];
    const xNumber = toFiniteNumber(rawX);
    if (yValue === undefined || rawX === undefined || rawX === null || rawX === "") {
      dropped++;
      continue;
    }
    xs.push(xNumber ?? String(rawX));
    ys.push(yValue);
  }
  if (dropped > 0) notes.push(`${dropped.toLocaleString("en-US")} rows of \`${source.file}\` (${reader.side}) have no numeric \`${y}\` or no \`${source.x ?? "step"}\`: left out.`);
  const label = (many ? `${source.file}: ${y}` : y).slice(0, PLOT_LIMITS.labelChars);
  return { side: reader.side, label, xs, ys };
}

function fieldList(point: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(point);
  const shown = keys.slice(0, 8).map((k) => `\`${k.slice(0, 40)}\``);
  return keys.length ? `${shown.join(", ")}${keys.length > 8 ? ", …" : ""}` : "no fields";
}
