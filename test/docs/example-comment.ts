import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseRepoConfig } from "../../src/config/parse-repo-config.js";
import { parseInline } from "../../src/core/limits/parse-repository-file.js";
import { buildPlotComparison } from "../../src/core/plots/build-plot-comparison.js";
import { parsePlotDefinitions } from "../../src/core/plots/parse-plot-definitions.js";
import { compareTraining } from "../../src/core/train/compare-training.js";
import { parseTrainingFiles } from "../../src/core/train/parse-training-files.js";
import type { TrainingResult } from "../../src/core/train/training-result.js";
import { renderTrainReport } from "../../src/report/train/render-train-report.js";
import { plotFiles, plotRun } from "../core/plots/plot-fixtures.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const README = path.join(ROOT, "README.md");
const START = "<!-- example-comment:start (made by `npx tsx test/docs/example-comment.ts --write`) -->";
const END = "<!-- example-comment:end -->";

/** ml/params.yaml with one `key: value` line of a section changed, comments kept. */
function setParam(text: string, section: string, key: string, value: string): string {
  const block = new RegExp(`^${section}:[\\s\\S]*?(?=^\\S|$(?![\\s\\S]))`, "m").exec(text)!;
  const changed = block[0].replace(new RegExp(`^(\\s+${key}:\\s*)\\S+`, "m"), `$1${value}`);
  return text.slice(0, block.index) + changed + text.slice(block.index + block[0].length);
}

/**
 * The sticky comment the bot posts for the PR of test/fixtures/plots (made by the real pipeline:
 * base = ml/params.yaml, head = train.model=random_forest, train.max_depth=8), rendered by the
 * bot's own code on the embedded default config: what the README shows as its example.
 */
export async function renderExampleComment(): Promise<string> {
  const params = readFileSync(path.join(ROOT, "ml/params.yaml"), "utf8");
  const headParams = setParam(setParam(params, "train", "model", "random_forest"), "train", "max_depth", "8");
  const definitions = parsePlotDefinitions({ file: "ml/dvc.yaml", text: plotRun("head")["ml/dvc.yaml"]! });
  if (!definitions.ok) throw new Error("test/fixtures/plots/head/ml/dvc.yaml does not parse");
  const baseSha = "1a2b3c4d5e6f70818283848586878889a0b1c2d3";
  const headSha = "5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80";
  const result: TrainingResult = {
    outcome: "succeeded",
    durationMs: 83_000,
    headSha,
    overrides: [],
    head: { metrics: { "ml/metrics.json": plotRun("head")["ml/metrics.json"]! }, params: { "ml/params.yaml": headParams } },
    base: { source: "commit", ref: "main", sha: baseSha, metrics: { "ml/metrics.json": plotRun("base")["ml/metrics.json"]! }, params: { "ml/params.yaml": params } },
    artifacts: [],
    logKey: "jobs/example/log.txt",
    logTail: [],
    plots: buildPlotComparison({ definitions: definitions.value, head: plotFiles("head"), base: plotFiles("base") }),
    mlflow: {
      runId: "9f3c2a",
      experimentId: "4",
      runUrl: "https://mlflow.example.com/#/experiments/4/runs/9f3c2a",
      baseRunId: "51be07",
      compareUrl: "https://mlflow.example.com/#/compare-runs?runs=%5B%229f3c2a%22%2C%2251be07%22%5D&experiments=%5B%224%22%5D",
    },
  };
  const config = parseRepoConfig(undefined);
  if (!config.ok) throw new Error("the default config does not parse");
  const job = { state: "succeeded", reason: null, requestedBy: "octocat", headSha, baseRef: "main", baseSha, pr: 7 } as const;
  const comparison = compareTraining({ state: "succeeded", result, parsed: await parseTrainingFiles(result, parseInline()), config: config.value });
  const report = renderTrainReport({
    job,
    result,
    comparison,
    precision: config.value.report.precision,
    checkUrl: "https://github.com/octo-org/ml-repo/runs/1",
    pageUrl: "https://bot.example.com/jobs/0b9c6f1e?exp=1798761600&sig=…",
  });
  return report.comment;
}

/** The README's example block, between its markers (undefined when they are missing). */
export function readmeExample(readme: string): string | undefined {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  return start < 0 || end < start ? undefined : readme.slice(start + START.length, end).trim();
}

/** The comment as the README quotes it: its markdown as is (GitHub draws the Mermaid charts in a README too). */
export function exampleBlock(comment: string): string {
  return comment.replace(/^<!-- mlops-bot:[^>]*-->\n/, "").trim();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]) && process.argv.includes("--write")) {
  const readme = readFileSync(README, "utf8");
  if (readmeExample(readme) === undefined) throw new Error(`README.md has no ${START} ... ${END} block`);
  const block = exampleBlock(await renderExampleComment());
  writeFileSync(README, readme.slice(0, readme.indexOf(START) + START.length) + `\n\n${block}\n\n` + readme.slice(readme.indexOf(END)));
  process.stderr.write("README.md: example comment updated\n");
}
