import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { MlflowTracker } from "../../src/adapters/tracking/mlflow-tracker.js";
import { endTrackedRun, runTags, startTrackedRun } from "../../src/jobs/track-run.js";
import { jobOfKind } from "../helpers/job-of-kind.js";
import { MLFLOW_URI, waitForMlflow } from "../helpers/mlflow-service.js";
import { newJob } from "../helpers/new-job.js";
import { tempDir } from "../helpers/temp-dir.js";

const required = process.env.MLOPS_REQUIRE_DOCKER === "1";

describe.runIf(MLFLOW_URI || required)("a job's MLflow run, against a pipeline that rewrites it (real MLflow server)", () => {
  let store: SqliteJobStore;
  beforeAll(async () => {
    if (!MLFLOW_URI) throw new Error("MLOPS_REQUIRE_DOCKER=1 but the test services have no MLflow server (scripts/start-test-mlflow.sh)");
    await waitForMlflow(MLFLOW_URI);
    store = new SqliteJobStore(path.join(tempDir(), "jobs.sqlite"));
  }, 300_000);
  afterAll(() => store?.close());

  it("puts back the tags that tie the run to its repository, PR and commit when the job ends", async () => {
    const tracker = new MlflowTracker({ trackingUri: MLFLOW_URI! });
    const tracking = { tracker, experiment: `hostile/{repo}-${randomUUID().slice(0, 8)}` };
    const { job: stored } = await store.enqueue(newJob());
    const job = jobOfKind(stored, "train");
    const started = await startTrackedRun(tracking, job, store);
    const run = started.run!;
    expect(started.env).toEqual({ MLFLOW_TRACKING_URI: MLFLOW_URI, MLFLOW_RUN_ID: run.runId, MLFLOW_EXPERIMENT_ID: run.experimentId });

    // What a PR's pipeline can do with the variables it got: claim another PR, commit and repository.
    const forged = { "mlops_bot.pr": "999", "mlops_bot.sha": "f".repeat(40), "mlops_bot.repository": "victim/repo", "mlflow.source.git.commit": "f".repeat(40) };
    const response = await fetch(`${MLFLOW_URI}/api/2.0/mlflow/runs/log-batch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ run_id: run.runId, tags: Object.entries(forged).map(([key, value]) => ({ key, value })), metrics: [{ key: "accuracy", value: 0.9, timestamp: Date.now(), step: 0 }] }),
    });
    expect(response.status).toBe(200);
    expect((await tracker.getRun(run.runId))?.tags).toMatchObject(forged);

    const ended = await endTrackedRun({ tracking, run, job, outcome: "succeeded", store });
    expect(ended.problem).toBeUndefined();
    const read = await tracker.getRun(run.runId);
    expect(read?.status).toBe("FINISHED");
    expect(read?.tags).toMatchObject(runTags(job));
    expect(read?.tags).toMatchObject({ "mlops_bot.pr": "1", "mlops_bot.sha": job.headSha, "mlops_bot.repository": "octo-org/ml-repo" });
  });
});
