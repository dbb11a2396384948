import { describe, expect, it } from "vitest";
import { buildPlotComparison } from "../../src/core/plots/build-plot-comparison.js";
import { parsePlotDefinitions } from "../../src/core/plots/parse-plot-definitions.js";
import type { PlotComparison } from "../../src/core/plots/plot-comparison.js";
import type { TrainComparison } from "../../src/core/train/compare-training.js";
import type { TrainingResult } from "../../src/core/train/training-result.js";
import { renderTrainReport } from "../../src/report/train/render-train-report.js";
import { plotFiles, plotRun } from "../core/plots/plot-fixtures.js";

const job = { state: "succeeded", reason: null, requestedBy: "octocat", headSha: "5d6e7f8".padEnd(40, "0"), baseRef: "main", baseSha: "1a2b3c4".padEnd(40, "0"), pr: 7 } as const;
const comparison: TrainComparison = { metrics: [], params: [], gates: [], conclusion: "success", problems: [], ran: true };

function plots(): PlotComparison {
  const defs = parsePlotDefinitions({ file: "ml/dvc.yaml", text: plotRun("head")["ml/dvc.yaml"]! });
  if (!defs.ok) throw new Error("fixture");
  return buildPlotComparison({ definitions: defs.value, head: plotFiles("head"), base: plotFiles("base") });
}

function result(extra: Partial<TrainingResult>): TrainingResult {
  return {
    outcome: "succeeded",
    durationMs: 9000,
    headSha: job.headSha,
    overrides: [],
    head: { metrics: {}, params: {} },
    base: { source: "commit", ref: "main", sha: job.baseSha, metrics: {}, params: {} },
    artifacts: [],
    logKey: "jobs/j/log.txt",
    logTail: [],
    ...extra,
  };
}

describe("renderTrainReport with plots and MLflow", () => {
  const links = { checkUrl: "https://github.com/o/r/runs/1", pageUrl: "https://bot.example.com/jobs/j?exp=1&sig=s" };
  const mlflow = { runId: "r1", experimentId: "3", runUrl: "https://mlflow.example.com/#/experiments/3/runs/r1", baseRunId: "r0", compareUrl: "https://mlflow.example.com/#/compare-runs?runs=x" };

  it("puts base and head plots in the comment and the check run, and links the job page and the MLflow runs", () => {
    const report = renderTrainReport({ job, result: result({ plots: plots(), mlflow }), comparison, precision: 5, ...links });
    expect(report.comment).toContain("<details open><summary><b>Plots</b>: base <code>main</code> @ <code>1a2b3c4</code> against head <code>5d6e7f8</code></summary>");
    expect(report.comment).toContain("```mermaid\n%%{init:");
    expect(report.comment).toContain("| **`0`** | **287** (+4) | 11 (−3) |");
    expect(report.comment).toContain(
      `[Full report](${links.checkUrl}) · [Job page](${links.pageUrl}) · MLflow: [run](${mlflow.runUrl}) · [compared with the base run](${mlflow.compareUrl})`,
    );
    expect(report.summary).toContain("### Plots\n\n**ROC curve \\(test split\\)**");
    expect(report.summary.split("\n")[1]).toBe(`MLflow: [run](${mlflow.runUrl}) · [compared with the base run](${mlflow.compareUrl})`);
  });

  it("stays within GitHub's limits with many plots, saying which were left out and where they are", () => {
    const one = plots();
    const many: PlotComparison = { ...one, plots: Array.from({ length: 100 }, (_, i) => ({ ...one.plots[0]!, id: `plots/roc-${i}.json` })) };
    const report = renderTrainReport({ job, result: result({ plots: many }), comparison, precision: 5, ...links });
    expect(report.comment.length).toBeLessThan(65_536);
    expect(Buffer.byteLength(report.summary)).toBeLessThan(65_535);
    expect(report.comment).toContain("> 92 plots were left out here to stay within GitHub's limits: `plots/roc-8.json`, `plots/roc-9.json`");
    expect(report.comment.match(/```mermaid/g)).toHaveLength(8);
    expect(report.comment).toContain(`Every plot is on the [job page](${links.pageUrl}).`);
    expect(report.summary.match(/```mermaid/g)).toHaveLength(30);
    expect(report.summary).toMatch(/> 70 plots were left out here/);
  });

  it("says when the MLflow run could not be made, and draws no plots for a run that has none", () => {
    const report = renderTrainReport({ job, result: result({ mlflow: { ...mlflow, problem: "The MLflow run could not be ended: MLflow answered 500." } }), comparison, precision: 5 });
    expect(report.summary).toContain("The MLflow run could not be ended: MLflow answered 500.");
    expect(report.comment).not.toContain("<details");
  });
});
