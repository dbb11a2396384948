import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { MlflowTracker } from "../../src/adapters/tracking/mlflow-tracker.js";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { makeExampleOrigin } from "../helpers/example-repo.js";
import * as gh from "../helpers/github-responses.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { trainResultOf } from "../helpers/job-of-kind.js";
import { MLFLOW_URI, waitForMlflow } from "../helpers/mlflow-service.js";
import { newJob, newTrainInput } from "../helpers/new-job.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";

const required = process.env.MLOPS_REQUIRE_DOCKER === "1";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe.runIf(MLFLOW_URI || required)("/train with a real MLflow tracking server", () => {
  beforeAll(async () => {
    if (!MLFLOW_URI) throw new Error("MLOPS_REQUIRE_DOCKER=1 but the test services have no MLflow server (scripts/start-test-mlflow.sh)");
    await waitForMlflow(MLFLOW_URI);
  }, 300_000);

  it("creates a tagged run the pipeline logs to, ends it, and links it and its comparison with main's run", async () => {
    const uri = MLFLOW_URI!;
    const experiment = `e2e/${randomUUID().slice(0, 8)}`;
    const dir = tempDir();
    const originRoot = path.join(dir, "origin");
    const { base, head } = makeExampleOrigin({ dir: path.join(originRoot, OWNER, REPO), change: { "train.n_estimators": "30" } });
    bot = await startBot({ dir, originRoot, env: { MLFLOW_TRACKING_URI: uri, MLOPS_MLFLOW_EXPERIMENT: experiment } });

    // main's last successful training (queued for a push to the default branch), tracked in the same experiment: the comparison's other side.
    const tracker = new MlflowTracker({ trackingUri: uri });
    const mainRun = await tracker.startRun({ experiment, runName: "main", tags: { "mlops_bot.sha": base } });
    const { job: mainJob } = await bot.engine.store.enqueue(newJob({ key: "push:main", pr: null, group: null, headSha: base, headRef: "main", commentId: null, repo: { owner: OWNER, name: REPO, installationId: 2 }, input: { ...newTrainInput(), onDefaultBranch: true } }));
    await bot.engine.store.claimNext({ worker: "seed:1", kinds: ["train"] });
    await bot.engine.store.transition(mainJob.id, "running", "succeeded", {
      result: { outcome: "succeeded", durationMs: 1, headSha: base, overrides: [], head: { metrics: {}, params: {} }, base: { source: "none", ref: null, sha: null, metrics: {}, params: {} }, artifacts: [], logKey: "x", logTail: [], mlflow: mainRun },
    });
    await bot.engine.store.update(mainJob.id, { reported: true });

    const { api, calls } = bot;
    api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_e2e")).persist();
    api().post(`${REPO_API}/issues/comments/9300/reactions`).times(2).reply(201, gh.reaction("eyes"));
    commitRepoConfig(bot.originRoot, undefined); // no config on the default branch (read with git)
    api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    api().get(`${REPO_API}/pulls/1`).reply(200, gh.pullRequest({ number: 1, head, base, author: "octocat" }));
    api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: 57 }));
    api().patch(`${REPO_API}/check-runs/57`).times(40).optionally().reply(200, gh.checkRun({ id: 57 }));
    api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 779 }));

    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 9300 }));
    const job = (await bot.engine.store.list({ kind: "train" })).find((j) => j.id !== mainJob.id)!;
    await bot.worker.start();
    await bot.worker.idle();

    const done = trainResultOf(await bot.engine.store.get(job.id));
    const mlflow = done.mlflow!;
    expect(mlflow).toMatchObject({ baseRunId: mainRun.runId, experimentId: mainRun.experimentId });
    expect(mlflow.problem).toBeUndefined();
    const run = await tracker.getRun(mlflow.runId);
    expect(run).toMatchObject({
      status: "FINISHED",
      tags: { "mlops_bot.repository": `${OWNER}/${REPO}`, "mlops_bot.pr": "1", "mlops_bot.sha": head, "mlops_bot.job_id": job.id, "mlflow.source.git.commit": head },
    });
    // The pipeline logged to the bot's run: training and test metrics.
    expect(Object.keys(run!.metrics)).toEqual(expect.arrayContaining(["train_accuracy", "test_accuracy", "test_roc_auc"]));
    // ...the params of the PR's head (its changed value included), the plot files and the model.
    const logged = await loggedByPipeline(uri, mlflow.experimentId, mlflow.runId);
    expect(logged.params).toMatchObject({ "train.n_estimators": "30" });
    expect(logged.plots).toEqual(["plots/confusion.csv", "plots/roc.json"]);
    expect(logged.models).toEqual([{ name: "model", status: "LOGGED_MODEL_READY" }]);

    const runUrl = `${uri}/#/experiments/${mlflow.experimentId}/runs/${mlflow.runId}`;
    expect(mlflow.runUrl).toBe(runUrl);
    const finish = calls.filter((c) => c.method === "PATCH" && (c.body as { conclusion?: string }).conclusion).at(-1)!;
    const summary = (finish.body as { output: { summary: string } }).output.summary;
    expect(summary).toContain(`MLflow: [run](${runUrl}) · [compared with the base run](${tracker.compareUrl(mlflow.experimentId, [mlflow.runId, mainRun.runId])})`);
    const sticky = calls.find((c) => c.method === "POST" && c.path === `${REPO_API}/issues/1/comments`)!;
    expect((sticky.body as { body: string }).body).toContain(`MLflow: [run](${runUrl})`);
  }, 600_000);
});

/** What the pipeline logged to a run, read with MLflow's REST API: params, the files under plots/, the models from this run. */
async function loggedByPipeline(uri: string, experimentId: string, runId: string) {
  const api = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${uri}/api/2.0/mlflow/${route}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`MLflow ${route}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const { run } = (await api("GET", `runs/get?run_id=${runId}`)) as { run: { data: { params?: { key: string; value: string }[] } } };
  const { files } = (await api("GET", `artifacts/list?run_id=${runId}&path=plots`)) as { files?: { path: string }[] };
  const { models } = (await api("POST", "logged-models/search", { experiment_ids: [experimentId] })) as {
    models?: { info: { name: string; status: string; source_run_id: string } }[];
  };
  return {
    params: Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value])),
    plots: (files ?? []).map((f) => f.path).sort(),
    models: (models ?? []).filter((m) => m.info.source_run_id === runId).map((m) => ({ name: m.info.name, status: m.info.status })),
  };
}
