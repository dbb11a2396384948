import { describe, expect, it } from "vitest";
import { repoConfigSchema } from "../../../src/config/repo-config-schema.js";
import type { JobState } from "../../../src/core/jobs/job.js";
import { parseInline } from "../../../src/core/limits/parse-repository-file.js";
import { compareTraining } from "../../../src/core/train/compare-training.js";
import { parseTrainingFiles } from "../../../src/core/train/parse-training-files.js";
import type { TrainingResult } from "../../../src/core/train/training-result.js";
import { newTrainingResult } from "../../helpers/new-job.js";

const config = repoConfigSchema.parse({ gates: { accuracy: { min: 0.85, max_drop: 0.01 } } });

function result(head: Record<string, number>, base: Record<string, number> | undefined, extra: Partial<TrainingResult> = {}): TrainingResult {
  const run = newTrainingResult(head);
  return {
    ...run,
    base: base ? { source: "commit", ref: "main", sha: "ba5e", metrics: { "ml/metrics.json": JSON.stringify(base) }, params: { "ml/params.yaml": "train:\n  seed: 1\n" } } : run.base,
    ...extra,
  };
}

/** The comparison as the bot makes it: the result's files parsed, then compared. */
async function compare(state: JobState, run: TrainingResult | null) {
  return compareTraining({ state, result: run, parsed: run ? await parseTrainingFiles(run, parseInline()) : undefined, config });
}

describe("compareTraining", () => {
  it("diffs metrics and params against the base and passes when every gate passes", async () => {
    const comparison = await compare("succeeded", result({ accuracy: 0.9 }, { accuracy: 0.895 }));
    expect(comparison.conclusion).toBe("success");
    expect(comparison.metrics).toEqual([{ path: "ml/metrics.json", key: "accuracy", old: 0.895, new: 0.9, diff: expect.closeTo(0.005, 9), changed: true }]);
    expect(comparison.params).toEqual([{ path: "ml/params.yaml", key: "train.seed", old: 1, new: 3, diff: 2, changed: true }]);
    expect(comparison.gates).toEqual([{ metric: "accuracy", passed: true, detail: expect.stringContaining("0.9 ≥ min 0.85") }]);
    expect(comparison).toMatchObject({ problems: [], ran: true });
  });

  it("fails a successful run whose gate fails, and a run that dropped too far", async () => {
    expect(await compare("succeeded", result({ accuracy: 0.8 }, undefined))).toMatchObject({ conclusion: "failure", gates: [{ passed: false }] });
    expect((await compare("succeeded", result({ accuracy: 0.86 }, { accuracy: 0.9 }))).conclusion).toBe("failure");
  });

  it("checks no gate when the pipeline did not run to the end, and takes the conclusion from the job's end", async () => {
    const failed = result({}, undefined, { outcome: "failed", head: { metrics: {}, params: {} } });
    expect(await compare("failed", failed)).toMatchObject({ conclusion: "failure", gates: [], ran: false });
    expect(await compare("timed_out", null)).toMatchObject({ conclusion: "timed_out", metrics: [], params: [], gates: [] });
    expect((await compare("cancelled", null)).conclusion).toBe("cancelled");
  });

  it("lists a metrics file it cannot read as a problem naming the file, and fails the gate it feeds", async () => {
    const broken = result({ accuracy: 0.9 }, undefined, { head: { metrics: { "ml/metrics.json": "{ not json" }, params: {} } });
    const comparison = await compare("succeeded", broken);
    expect(comparison.problems).toEqual([expect.objectContaining({ file: "ml/metrics.json" })]);
    expect(comparison).toMatchObject({ conclusion: "failure", gates: [{ metric: "accuracy", passed: false }] });
  });
});
