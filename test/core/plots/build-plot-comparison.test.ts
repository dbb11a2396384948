import { describe, expect, it } from "vitest";
import { buildPlotComparison } from "../../../src/core/plots/build-plot-comparison.js";
import { parsePlotDefinitions, type PlotDefinitions } from "../../../src/core/plots/parse-plot-definitions.js";
import type { ConfusionPlot, CurvePlot } from "../../../src/core/plots/plot-comparison.js";
import { plotComparisonSchema } from "../../../src/core/plots/plot-comparison.js";
import { PLOT_LIMITS } from "../../../src/core/plots/plot-limits.js";
import { dvcPlotsDiff, plotFiles, plotRun } from "./plot-fixtures.js";

function definitions(text = plotRun("head")["ml/dvc.yaml"]!): PlotDefinitions {
  const parsed = parsePlotDefinitions({ file: "ml/dvc.yaml", text });
  if (!parsed.ok) throw new Error("fixture dvc.yaml must parse");
  return parsed.value;
}

const curve = (c: ReturnType<typeof buildPlotComparison>, id: string) => c.plots.find((p) => p.id === id) as CurvePlot;
const confusion = (c: ReturnType<typeof buildPlotComparison>, id: string) => c.plots.find((p) => p.id === id) as ConfusionPlot;

describe("buildPlotComparison on the real pipeline's plots", () => {
  const comparison = buildPlotComparison({ definitions: definitions(), head: plotFiles("head"), base: plotFiles("base") });
  const dvc = dvcPlotsDiff();

  it("reads the ROC points of base and head exactly as dvc plots diff does", () => {
    const roc = curve(comparison, "plots/roc.json");
    expect(roc).toMatchObject({ title: "ROC curve (test split)", xLabel: "fpr", yLabel: "tpr", template: "linear", xCategories: null, notes: [] });
    for (const side of ["base", "head"] as const) {
      const expected = dvc["plots/roc.json"]!.content.data.values.filter((v) => v.rev === side).map((v) => [v.fpr, v.tpr]);
      const series = roc.series.find((s) => s.side === side)!;
      expect(series.label).toBe("tpr");
      expect(series.points).toEqual(expected);
      expect(series.total).toBe(expected.length);
    }
  });

  it("counts the confusion matrix cells as DVC's template aggregates them, rows = y (predicted), columns = x (actual)", () => {
    const matrix = confusion(comparison, "plots/confusion.csv");
    expect(matrix).toMatchObject({ title: "Confusion matrix (test split)", xLabel: "actual", yLabel: "predicted", normalized: false, classes: ["0", "1"] });
    for (const side of ["base", "head"] as const) {
      const counts = [[0, 0], [0, 0]];
      for (const v of dvc["plots/confusion.csv"]!.content.data.values.filter((d) => d.rev === side)) counts[Number(v.predicted)]![Number(v.actual)]!++;
      expect(matrix[side]).toEqual(counts);
    }
    expect(matrix.head!.flat().reduce((a, b) => a + b)).toBe(500);
  });

  it("is a value its schema reads back (it is stored with the job)", () => {
    expect(plotComparisonSchema.parse(JSON.parse(JSON.stringify(comparison)))).toEqual(comparison);
    expect(comparison.skipped).toEqual([]);
    expect(comparison.problems).toEqual([]);
  });
});

describe("buildPlotComparison edge cases", () => {
  it("keeps a curve of thousands of points within the stored bound, ends and shape kept", () => {
    const large = plotFiles("large");
    const comparison = buildPlotComparison({ definitions: definitions(), head: large, base: plotFiles("base") });
    const series = curve(comparison, "plots/roc.json").series.find((s) => s.side === "head")!;
    const all = (JSON.parse(large["ml/plots/roc.json"]!) as { roc: Array<{ fpr: number; tpr: number }> }).roc;
    expect(all.length).toBeGreaterThan(4000);
    expect(series.total).toBe(all.length);
    expect(series.points).toHaveLength(PLOT_LIMITS.storedPoints);
    expect(series.points[0]).toEqual([all[0]!.fpr, all[0]!.tpr]);
    expect(series.points.at(-1)).toEqual([all.at(-1)!.fpr, all.at(-1)!.tpr]);
    // Every kept point is one of the file's points.
    const original = new Set(all.map((p) => `${p.fpr},${p.tpr}`));
    expect(series.points.every(([x, y]) => original.has(`${x},${y}`))).toBe(true);
    // The confusion plot's file is not in this run: skipped with the reason.
    expect(comparison.skipped).toEqual([{ id: "plots/confusion.csv", reason: "the run wrote no `ml/plots/confusion.csv`" }]);
  });

  it("draws the head alone, with a note, when the base has no plot files or there is no base", () => {
    for (const base of [{}, undefined]) {
      const comparison = buildPlotComparison({ definitions: definitions(), head: plotFiles("head"), base });
      const roc = curve(comparison, "plots/roc.json");
      expect(roc.series.map((s) => s.side)).toEqual(["head"]);
      expect(roc.notes).toEqual([base ? "The base has no `ml/plots/roc.json`: head only." : "No base to compare with: head only."]);
      expect(confusion(comparison, "plots/confusion.csv").base).toBeNull();
    }
  });

  it("reads CSV, TSV, YAML and nested JSON; categorical x; x joined from another file; normalized confusion", () => {
    const defs = definitions(`
plots:
  - logs/loss.tsv
  - per_class: {x: class, y: {eval/scores.yaml: f1}}
  - joined: {x: {eval/steps.csv: step}, y: {eval/values.json: value}}
  - norm: {template: confusion_normalized, x: actual, y: {eval/pairs.csv: predicted}}
`);
    const head = {
      "ml/logs/loss.tsv": "epoch\tloss\n1\t0.9\n2\t0.5\n3\t\"0.25\"\n",
      "ml/eval/scores.yaml": "scores:\n  - {class: cat, f1: 0.8}\n  - {class: dog, f1: 0.6}\n",
      "ml/eval/steps.csv": "step\n10\n20\n",
      "ml/eval/values.json": JSON.stringify({ run: { train: [{ value: 1 }, { value: 2 }] } }),
      "ml/eval/pairs.csv": "actual,predicted\na,a\na,a\na,b\nb,b\n",
    };
    const comparison = buildPlotComparison({ definitions: defs, head, base: {} });
    expect(comparison.problems).toEqual([]);
    expect(curve(comparison, "logs/loss.tsv").series[0]!.points).toEqual([[0, 0.9], [1, 0.5], [2, 0.25]]);
    expect(curve(comparison, "logs/loss.tsv").xLabel).toBe("step");
    const perClass = curve(comparison, "per_class");
    expect(perClass.xCategories).toEqual(["cat", "dog"]);
    expect(perClass.series[0]!.points).toEqual([[0, 0.8], [1, 0.6]]);
    expect(curve(comparison, "joined").series[0]!.points).toEqual([[10, 1], [20, 2]]);
    expect(confusion(comparison, "norm")).toMatchObject({ normalized: true, classes: ["a", "b"], head: [[2, 0], [1, 1]] });
  });

  it("turns hostile plot files into problems and notes, never into a crash", () => {
    const defs = definitions(`
plots:
  - a.json
  - b.yaml
  - c.json
  - d.csv: {y: nope}
  - e.json
  - f.csv: {template: confusion, x: actual, y: predicted}
  - g.json
  - h.yaml
  - i.yaml
`);
    const head = {
      "ml/a.json": `${"[".repeat(200_000)}${"]".repeat(200_000)}`,
      "ml/b.yaml": "a: &a [x, x]\nb: *a\nc: *oops\n",
      "ml/c.json": "{not json",
      "ml/d.csv": "x,y\n1,2\n",
      "ml/e.json": JSON.stringify([{ __proto__: 1, y: "NaN" }, { y: "1e999" }, { y: 3 }]).replace('"y":"NaN"', '"__proto__":{"polluted":true},"y":"NaN"'),
      "ml/f.csv": `actual,predicted\n${Array.from({ length: 100 }, (_, i) => `${i},${i}`).join("\n")}\n`,
      "ml/g.json": " ".repeat(PLOT_LIMITS.dataFileBytes + 1),
      // 70,000 keys (under 1 MiB) and one repeated: found in one pass (yaml's own check compared every pair: minutes).
      "ml/h.yaml": `${Array.from({ length: 70_000 }, (_, i) => `k${i}: ${i}`).join("\n")}\nk7: 1\n`,
      "ml/i.yaml": `- {y: 1}\n${" ".repeat(PLOT_LIMITS.yamlDataFileBytes)}`,
    };
    const comparison = buildPlotComparison({ definitions: defs, head, base: undefined });
    expect(comparison.problems).toEqual([
      "ml/a.json: nests 200000 levels deep; plot files over 32 levels are not read. (head)",
      "ml/b.yaml:3:4: the alias `*oops` names no anchor `&oops` above it. (head)",
      expect.stringMatching(/^ml\/c\.json: invalid JSON: .* \(head\)$/),
      `ml/g.json: is ${(PLOT_LIMITS.dataFileBytes + 1).toLocaleString("en-US")} bytes; plot files over ${PLOT_LIMITS.dataFileBytes.toLocaleString("en-US")} bytes are not read. (head)`,
      "ml/h.yaml:70001:1: the key `k7` appears twice in one mapping. (head)",
      `ml/i.yaml: is ${(PLOT_LIMITS.yamlDataFileBytes + 9).toLocaleString("en-US")} bytes; YAML plot files over ${PLOT_LIMITS.yamlDataFileBytes.toLocaleString("en-US")} bytes are not read (write big plot data as JSON, CSV or TSV). (head)`,
    ]);
    expect(comparison.skipped.map((s) => s.id)).toEqual(["a.json", "b.yaml", "c.json", "d.csv", "f.csv", "g.json", "h.yaml", "i.yaml"]);
    expect(comparison.skipped.find((s) => s.id === "d.csv")!.reason).toBe("`ml/d.csv` (head) has no field `nope`; it has `x`, `y`. No base to compare with: head only.");
    expect(comparison.skipped.find((s) => s.id === "f.csv")!.reason).toMatch(/classes; a confusion matrix is drawn up to 30/);
    const e = curve(comparison, "e.json");
    expect(e.series[0]!.points).toEqual([[2, 3]]);
    expect(e.notes).toContain("2 rows of `ml/e.json` (head) have no numeric `y` or no `step`: left out.");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
