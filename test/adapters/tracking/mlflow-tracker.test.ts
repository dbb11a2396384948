import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { MlflowTracker } from "../../../src/adapters/tracking/mlflow-tracker.js";
import { StorageError } from "../../../src/core/errors.js";
import { MLFLOW_URI, waitForMlflow } from "../../helpers/mlflow-service.js";

const required = process.env.MLOPS_REQUIRE_DOCKER === "1";

describe.runIf(MLFLOW_URI || required)("MlflowTracker on a real MLflow tracking server", () => {
  beforeAll(async () => {
    if (!MLFLOW_URI) throw new Error("MLOPS_REQUIRE_DOCKER=1 but the test services have no MLflow server (scripts/start-test-mlflow.sh)");
    await waitForMlflow(MLFLOW_URI);
  }, 300_000);

  it("creates a tagged run in a new experiment, reads it back, ends it, and links it", async () => {
    const tracker = new MlflowTracker({ trackingUri: MLFLOW_URI!, uiUrl: "https://mlflow.example.com/" });
    const experiment = `octo-org/ml-repo-${randomUUID().slice(0, 8)}`;
    const run = await tracker.startRun({ experiment, runName: "#7 c0ffee0", tags: { "mlops_bot.pr": "7", "mlops_bot.job_id": "job-1" } });
    expect(run.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.runUrl).toBe(`https://mlflow.example.com/#/experiments/${run.experimentId}/runs/${run.runId}`);
    // The experiment is found, not made again.
    const second = await tracker.startRun({ experiment, runName: "again", tags: {} });
    expect(second.experimentId).toBe(run.experimentId);
    // A second tracker (another bot instance) finds the same experiment.
    expect((await new MlflowTracker({ trackingUri: MLFLOW_URI! }).startRun({ experiment, runName: "x", tags: {} })).experimentId).toBe(run.experimentId);

    const read = await tracker.getRun(run.runId);
    expect(read).toMatchObject({ status: "RUNNING", tags: { "mlops_bot.pr": "7", "mlops_bot.job_id": "job-1", "mlflow.runName": "#7 c0ffee0" } });
    await tracker.endRun(run.runId, "FAILED");
    expect((await tracker.getRun(run.runId))?.status).toBe("FAILED");
    expect(await tracker.getRun("0".repeat(32))).toBeUndefined();
    expect(tracker.compareUrl(run.experimentId, [run.runId, second.runId])).toBe(
      `https://mlflow.example.com/#/compare-runs?runs=${encodeURIComponent(JSON.stringify([run.runId, second.runId]))}&experiments=${encodeURIComponent(JSON.stringify([run.experimentId]))}`,
    );
  });

  it("fails with a StorageError that names the call, never the credential", async () => {
    const token = "mlflow-token-do-not-print-1234";
    const down = new MlflowTracker({ trackingUri: "http://127.0.0.1:9", auth: () => Promise.resolve(`Bearer ${token}`), timeoutMs: 2000 });
    const error = await down.startRun({ experiment: "x", runName: "y", tags: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/^MLflow at http:\/\/127\.0\.0\.1:9 did not answer GET experiments\/get-by-name/);
    expect((error as Error).message).not.toContain(token);
  });
});
