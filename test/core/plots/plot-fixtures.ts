import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** test/fixtures/plots: made by scripts/make-plot-fixtures.sh from the real pipeline (see its README). */
export const PLOT_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/plots");

/** The files of one run (`base`, `head`, `large`) by repository path, e.g. `ml/plots/roc.json`. */
export function plotRun(name: "base" | "head" | "large"): Record<string, string> {
  const root = path.join(PLOT_FIXTURES, name);
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(root, full).split(path.sep).join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(root);
  return out;
}

/** Only the plot data files of a run (what the bot collects), without dvc.yaml and metrics. */
export function plotFiles(name: "base" | "head" | "large"): Record<string, string> {
  return Object.fromEntries(Object.entries(plotRun(name)).filter(([file]) => file.startsWith("ml/plots/")));
}

interface DvcPlot {
  readonly content: {
    readonly title: { readonly text: string };
    readonly data: { readonly values: ReadonlyArray<Record<string, string | number>> };
    readonly encoding?: { readonly x: { readonly field: string } };
    readonly spec?: { readonly encoding: { readonly x: { readonly field: string }; readonly y: { readonly field: string } } };
    readonly layer?: ReadonlyArray<{ readonly encoding?: { readonly y?: { readonly field: string } } }>;
  };
}

/** What `dvc plots diff --json base head` printed, by plot id. */
export function dvcPlotsDiff(): Record<string, DvcPlot> {
  const text = readFileSync(path.join(PLOT_FIXTURES, "expected/plots-diff-base-head.json"), "utf8");
  const data = (JSON.parse(text) as { data: Record<string, DvcPlot[]> }).data;
  return Object.fromEntries(Object.entries(data).map(([id, [plot]]) => [id, plot!]));
}
