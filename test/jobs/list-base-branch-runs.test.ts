import path from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import type { TrainInput } from "../../src/core/jobs/train-job.js";
import { listBaseBranchRuns } from "../../src/jobs/list-base-branch-runs.js";
import { newJob, newTrainInput, newTrainingResult } from "../helpers/new-job.js";
import { tempDir } from "../helpers/temp-dir.js";

const repo = { owner: "octo-org", name: "ml-repo", installationId: 2 };

/** A finished, successful training run of branch `headRef` whose commit came from `headRepo`. */
async function succeededRun(store: SqliteJobStore, key: string, params: { headRef: string; headRepo?: string; onDefaultBranch?: true; accuracy: number }) {
  const input: TrainInput = { ...newTrainInput(), ...(params.headRepo === undefined ? {} : { headRepo: params.headRepo }), ...(params.onDefaultBranch ? { onDefaultBranch: true } : {}) };
  const { job } = await store.enqueue(newJob({ key, group: `g-${key}`, repo, headRef: params.headRef, input }));
  await store.transition(job.id, "queued", "running");
  await store.transition(job.id, "running", "succeeded", { result: newTrainingResult({ accuracy: params.accuracy }) });
  return job.id;
}

describe("listBaseBranchRuns", () => {
  it("counts only runs of the base repository's own branch: a fork's branch named main is never a baseline", async () => {
    const store = new SqliteJobStore(path.join(tempDir(), "jobs.sqlite"));
    const own = await succeededRun(store, "own", { headRef: "main", headRepo: "Octo-Org/ml-repo", accuracy: 0.8 });
    await succeededRun(store, "fork-main", { headRef: "main", headRepo: "attacker/ml-repo", accuracy: 0.01 }); // later, and hostile
    await succeededRun(store, "old-record", { headRef: "main", accuracy: 0.02 }); // does not say where it came from
    const pushed = await succeededRun(store, "push", { headRef: "main", onDefaultBranch: true, accuracy: 0.85 }); // train_on_push, recorded before headRepo was kept
    await succeededRun(store, "feature", { headRef: "feature", headRepo: "octo-org/ml-repo", accuracy: 0.9 });

    const pr = newJob({ key: "pr", repo, headRef: "attacker-change", baseRef: "main" });
    const runs = await listBaseBranchRuns(store, { repo: pr.repo, baseRef: pr.baseRef });
    expect(runs.map((r) => r.id)).toEqual([own, pushed]);
    expect(runs.at(0)?.result?.head.metrics).toEqual({ "ml/metrics.json": JSON.stringify({ accuracy: 0.8 }) });
    expect(await listBaseBranchRuns(store, { repo: pr.repo, baseRef: null })).toEqual([]);
    await store.close();
  });
});
