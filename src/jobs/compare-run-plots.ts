import path from "node:path";
import type { ParseFile } from "../core/limits/parse-repository-file.js";
import { encodePlotFiles } from "../core/plots/compare-plot-files.js";
import type { PlotComparison } from "../core/plots/plot-comparison.js";
import { plotFileKind } from "../core/plots/plot-definition.js";
import { PLOT_LIMITS } from "../core/plots/plot-limits.js";
import { formatProblem } from "../core/problem.js";
import type { PreparedSource } from "../ports/source-provider.js";

/**
 * The plots of a run against the base's: the head's plot files as the run wrote them (already
 * collected without following links, capped), its `dvc.yaml` and the base commit's files at the
 * same paths (read from git, so a link in the PR is never followed on disk), compared by `parse`
 * (the bot's parse workers: the files come from the PR).
 */
export async function compareRunPlots(params: {
  source: Pick<PreparedSource, "sha" | "readFileAt">;
  workdir: string;
  baseSha: string | null;
  /** The plot files the run wrote, by repository path. */
  head: Readonly<Record<string, string>>;
  parse: ParseFile;
}): Promise<PlotComparison> {
  const { source, baseSha } = params;
  // Images and anything else that is not a data series stay with the artifacts.
  const head = Object.fromEntries(Object.entries(params.head).filter(([file]) => plotFileKind(file) === "data"));
  const dvcYamlPath = path.posix.join(params.workdir, "dvc.yaml");
  const dvcYaml = await source.readFileAt(source.sha, dvcYamlPath);
  const base: Record<string, string> = {};
  if (baseSha) {
    for (const file of Object.keys(head).slice(0, PLOT_LIMITS.files)) {
      const text = await source.readFileAt(baseSha, file);
      if (text !== undefined && text.length <= PLOT_LIMITS.dataFileBytes) base[file] = text;
    }
  }
  const outcome = await params.parse({
    kind: "plots",
    file: dvcYamlPath,
    text: encodePlotFiles({ ...(dvcYaml === undefined ? {} : { dvcYaml: { file: dvcYamlPath, text: dvcYaml } }), head, ...(baseSha ? { base } : {}) }),
  });
  return outcome.ok ? outcome.value : { plots: [], skipped: [], problems: outcome.error.map(formatProblem) };
}
