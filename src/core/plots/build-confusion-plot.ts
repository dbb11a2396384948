import type { ConfusionPlot } from "./plot-comparison.js";
import type { PlotDefinition, PlotSource } from "./plot-definition.js";
import { PLOT_LIMITS } from "./plot-limits.js";
import type { PlotFileReader } from "./read-plot-files.js";
import { toFiniteNumber } from "./to-finite-number.js";

type Pairs = Map<string, Map<string, number>>;

/** A confusion or confusion_normalized plot: counts of (y value, x value) pairs, head and base. */
export function buildConfusionPlot(p: { def: PlotDefinition; source: PlotSource; head: PlotFileReader; base: PlotFileReader | undefined }): ConfusionPlot | { skip: string } {
  const { def, source } = p;
  const notes: string[] = [];
  if (source.x === undefined) return { skip: "a confusion matrix needs an `x` field (the actual class)" };
  const head = countPairs(p.head, source, notes);
  if (!head) return { skip: notes.join(" ") || `\`${source.file}\` has no rows` };
  let base: Pairs | undefined;
  if (!p.base) notes.push("No base to compare with: head only.");
  else if (!p.base.has(source.file)) notes.push(`The base has no \`${source.file}\`: head only.`);
  else base = countPairs(p.base, source, notes);

  const labels = new Set<string>();
  for (const pairs of [head, base]) {
    for (const [y, row] of pairs ?? []) {
      labels.add(y);
      for (const x of row.keys()) labels.add(x);
    }
  }
  if (labels.size > PLOT_LIMITS.confusionClasses) return { skip: `${labels.size} classes; a confusion matrix is drawn up to ${PLOT_LIMITS.confusionClasses}` };
  const classes = sortClasses([...labels]);
  const matrix = (pairs: Pairs) => classes.map((y) => classes.map((x) => pairs.get(y)?.get(x) ?? 0));
  return {
    kind: "confusion",
    id: def.id,
    title: def.title ?? def.id,
    xLabel: def.xLabel ?? source.x,
    yLabel: def.yLabel ?? source.y ?? "y",
    notes: [...new Set(notes)],
    normalized: def.template === "confusion_normalized",
    classes,
    head: matrix(head),
    base: base ? matrix(base) : null,
  };
}

function countPairs(reader: PlotFileReader, source: PlotSource, notes: string[]): Pairs | undefined {
  const data = reader.read(source.file);
  const first = data?.datapoints[0];
  if (!data || !first) return undefined;
  const y = source.y ?? Object.keys(first).at(-1);
  const x = source.x!;
  if (y === undefined || !(y in first) || !(x in first)) {
    notes.push(`\`${source.file}\` (${reader.side}) lacks \`${!(x in first) ? x : (y ?? "")}\`.`);
    return undefined;
  }
  const pairs: Pairs = new Map();
  for (const point of data.datapoints) {
    const yv = label(point[y]);
    const xv = label(point[x]);
    let row = pairs.get(yv);
    if (!row) {
      // Past the class limit, stop growing: the caller refuses the matrix anyway.
      if (pairs.size > PLOT_LIMITS.confusionClasses) continue;
      pairs.set(yv, (row = new Map<string, number>()));
    }
    if (!row.has(xv) && row.size > PLOT_LIMITS.confusionClasses) continue;
    row.set(xv, (row.get(xv) ?? 0) + 1);
  }
  return pairs;
}

function label(v: string | number | boolean | null | undefined): string {
  return String(v ?? "").slice(0, PLOT_LIMITS.labelChars);
}

/** Ascending, as DVC's axes sort: numerically when every class is a number, else by code point. */
function sortClasses(classes: string[]): string[] {
  const numeric = classes.every((c) => toFiniteNumber(c) !== undefined);
  return numeric ? classes.sort((a, b) => toFiniteNumber(a)! - toFiniteNumber(b)!) : classes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
