import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config/server-config.js";
import { DEPLOY_CHECK } from "../../src/core/jobs/deploy-job.js";
import { BUILD_OFF_REASON } from "../../src/jobs/executors/build-executor.js";
import { DEPLOY_OFF_REASON } from "../../src/jobs/executors/deploy-executor.js";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import * as gh from "../helpers/github-responses.js";
import { OWNER, REPO, prCommentPayload, pullRequestClosedPayload } from "../helpers/payloads.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { seedTrainRun } from "../helpers/seed-train-run.js";
import { tempDir } from "../helpers/temp-dir.js";
import { finalCheckUpdate, nockCommandIntake, nockInstallationToken } from "../helpers/train-nocks.js";

// Promotions and builds queued while the bot's settings allowed them, then picked up when they no
// longer do: the real SQLite file and the app; GitHub faked with nock (no Cloud Run, Cloud Storage
// or Docker call may happen: nock refuses the first two, and no engine is named or found).
const SERVICE = "projects/ml-project/locations/europe-west1/services/mlops-bot-inference";
const DEPLOY_ENV = { MLOPS_DEPLOY_SERVICE: SERVICE, MLOPS_DEPLOY_MODELS: "gs://ml-project-mlops-bot-models" };
const CONFIG = ["gates:", "  accuracy: { min: 0.85 }", "deploy:", "  on_merge: true", ""].join("\n");
const HEAD = "c0ffee".repeat(6) + "c0ff";
const BASE = "ba5e".repeat(10);

let bots: BotHarness[] = [];
afterEach(async () => {
  for (const bot of bots) await bot.stop();
  bots = [];
});

/** A bot on the SQLite file of `dir` (a second one on the same `dir` is the same bot restarted). */
async function bot(dir: string, env: Record<string, string> = {}): Promise<BotHarness> {
  const started = await startBot({ dir, originRoot: `${dir}/origin`, env });
  bots.push(started);
  return started;
}

async function restart(old: BotHarness, dir: string, env: Record<string, string> = {}): Promise<BotHarness> {
  await old.stop();
  bots = bots.filter((b) => b !== old);
  return bot(dir, env);
}

/** A merged `pull_request.closed` for PR #`pr` at `head`. */
function mergedPayload(pr: number, head: string) {
  const payload = pullRequestClosedPayload({ body: null, merged: true, number: pr });
  payload.pull_request.head = { ...payload.pull_request.head, sha: head, ref: `feature-${pr}` };
  payload.pull_request.base = { ...payload.pull_request.base, ref: "main" };
  payload.pull_request.merge_commit_sha = "e1e1".repeat(10);
  payload.pull_request.merged_by = { ...payload.pull_request.user, login: "octocat" };
  return payload;
}

describe("a promotion picked up after the deploy settings were removed ends, saying what to set", () => {
  it("/deploy queued, the bot restarted with broken then without MLOPS_DEPLOY_*: failed with the reason, check run completed, 😕; the train run is untouched", async () => {
    const dir = tempDir();
    let b = await bot(dir, DEPLOY_ENV);
    const trainId = await seedTrainRun(b, { pr: 1, head: HEAD, accuracy: 0.95, minAccuracy: 0.85 });
    nockCommandIntake(b, { commentId: 700, head: HEAD, base: BASE, config: CONFIG, role: "maintain", checkRunId: 7000 });
    await b.deliver("issue_comment", prCommentPayload({ body: "/deploy", commentId: 700 }));
    const [queued] = await b.engine.store.list({ kind: "deploy" });
    expect(queued).toMatchObject({ state: "queued", checkRunId: 7000 });

    // Settings present but invalid: the bot refuses to start, naming the variable; the job waits, intact.
    expect(() => loadServerConfig({ MLOPS_DATA_DIR: `${dir}/data`, MLOPS_DEPLOY_SERVICE: SERVICE })).toThrow(/MLOPS_DEPLOY_MODELS[\s\S]*set the missing one/);
    expect(() => loadServerConfig({ MLOPS_DATA_DIR: `${dir}/data`, ...DEPLOY_ENV, MLOPS_DEPLOY_SERVICE: "mlops-bot-inference" })).toThrow(/MLOPS_DEPLOY_SERVICE[\s\S]*must be a Cloud Run service name/);

    // Restarted without them: the worker picks the job up and ends it truthfully.
    b = await restart(b, dir);
    expect((await b.engine.store.get(queued!.id))?.state).toBe("queued");
    // (the installation token's scope of the first start still answers)
    b.api().patch(`${REPO_API}/check-runs/7000`).reply(200, gh.checkRun({ id: 7000 })).persist();
    b.api().post(`${REPO_API}/issues/comments/700/reactions`, { content: "confused" }).reply(201, gh.reaction("confused"));
    await b.worker.start();
    await b.worker.idle();

    expect(await b.engine.store.get(queued!.id)).toMatchObject({ state: "failed", reason: DEPLOY_OFF_REASON, reported: true });
    const check = finalCheckUpdate(b, 7000);
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("Not deployed");
    expect(check.output.summary).toContain("`MLOPS_DEPLOY_SERVICE` (the inference Cloud Run service) and `MLOPS_DEPLOY_MODELS` (its models bucket) are not set");
    expect(check.output.summary).toContain("`terraform output inference_service`");
    expect(b.calls.some((c) => c.path === `${REPO_API}/issues/comments/700/reactions`)).toBe(true);
    expect(await b.engine.store.get(trainId)).toMatchObject({ state: "succeeded", reported: true });
  }, 60_000);

  it("a promotion left running by a process that died, restarted without MLOPS_DEPLOY_*: failed as interrupted and reported, never left in progress", async () => {
    const dir = tempDir();
    const b = await bot(dir);
    const { job } = await b.engine.store.enqueue({
      kind: "deploy",
      key: "comment:710:0",
      group: `${OWNER}/${REPO}:deploy`,
      repo: { owner: OWNER, name: REPO, installationId: 2 },
      pr: 1,
      headSha: HEAD,
      headRef: "feature-1",
      baseRef: "main",
      baseSha: null,
      requestedBy: "octocat",
      commentId: 710,
      input: {
        run: { jobId: "train-1", modelKey: "jobs/train-1/model.onnx", modelPath: "ml/models/model.onnx", modelBytes: 3, modelSha256: "0".repeat(64), metrics: [], gates: [] },
        trigger: "comment",
        mergeSha: null,
      },
    });
    await b.engine.store.update(job.id, { checkRunId: 7100 });
    const dead = spawnSync("true").pid;
    await b.engine.store.claimNext({ worker: `${hostname()}:${dead}:gone`, kinds: ["deploy"] });
    nockInstallationToken(b);
    b.api().patch(`${REPO_API}/check-runs/7100`).reply(200, gh.checkRun({ id: 7100 })).persist();
    b.api().post(`${REPO_API}/issues/comments/710/reactions`, { content: "confused" }).reply(201, gh.reaction("confused"));
    await b.worker.start();
    await b.worker.idle();
    expect(await b.engine.store.get(job.id)).toMatchObject({ state: "failed", reported: true });
    const check = finalCheckUpdate(b, 7100);
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("The bot stopped while this job was running");
  }, 60_000);

  it("deploy.on_merge turned off (or the config broken) between the merge and the pick-up: cancelled (or failed naming the file), nothing deployed", async () => {
    const dir = tempDir();
    let b = await bot(dir, DEPLOY_ENV);
    const origin = `${dir}/origin`;
    nockInstallationToken(b);
    const other = "d00d".repeat(10);
    await seedTrainRun(b, { pr: 1, head: HEAD, accuracy: 0.95, minAccuracy: 0.85 });
    await seedTrainRun(b, { pr: 2, head: other, accuracy: 0.95, minAccuracy: 0.85 });
    // The config is read with git from the default branch at the merge and again at the pick-up:
    // each is committed in between (the worker starts only once the merge queued its promotion).
    commitRepoConfig(origin, CONFIG);
    b.api().post(`${REPO_API}/check-runs`, (body: { name: string }) => body.name === DEPLOY_CHECK).reply(201, gh.checkRun({ id: 7200, headSha: HEAD }));
    b.api().patch(`${REPO_API}/check-runs/7200`).reply(200, gh.checkRun({ id: 7200 })).persist();
    await b.deliver("pull_request", mergedPayload(1, HEAD));
    commitRepoConfig(origin, "gates:\n  accuracy: { min: 0.85 }\n");
    await b.worker.start();
    await b.worker.idle();
    const off = finalCheckUpdate(b, 7200);
    expect(off.conclusion).toBe("cancelled");
    expect(off.output.summary).toContain("`deploy.on_merge` was turned off in `.github/mlops-bot.yml` of the default branch after this promotion was queued, so nothing was deployed");

    b = await restart(b, dir, DEPLOY_ENV); // (the token exchange faked above answers this bot too)
    commitRepoConfig(origin, CONFIG);
    b.api().post(`${REPO_API}/check-runs`, (body: { name: string }) => body.name === DEPLOY_CHECK).reply(201, gh.checkRun({ id: 7201, headSha: other }));
    b.api().patch(`${REPO_API}/check-runs/7201`).reply(200, gh.checkRun({ id: 7201 })).persist();
    await b.deliver("pull_request", mergedPayload(2, other));
    commitRepoConfig(origin, "deploy:\n  on_merge: maybe\n");
    await b.worker.start();
    await b.worker.idle();
    const broken = finalCheckUpdate(b, 7201);
    expect(broken.conclusion).toBe("failure");
    expect(broken.output.summary).toMatch(/`\.github\/mlops-bot\.yml` of the default branch is no longer valid[\s\S]*\.github\/mlops-bot\.yml:2/);
    const states = (await b.engine.store.list({ kind: "deploy" })).map((j) => [j.pr, j.state]);
    expect(states.sort()).toEqual([
      [1, "cancelled"],
      [2, "failed"],
    ]);
  }, 60_000);
});

// Without MLOPS_DOCKER_HOST the bot uses /var/run/docker.sock when it exists: on such a machine the restarted bot still has an engine.
describe.skipIf(existsSync("/var/run/docker.sock"))("a build picked up after the Docker engine was removed", () => {
  it("/build queued, the bot restarted without MLOPS_DOCKER_HOST: failed naming it, check run completed, 😕", async () => {
    const dir = tempDir();
    let b = await bot(dir, { MLOPS_DOCKER_HOST: `unix://${dir}/docker.sock` });
    const config = "registry: registry.example.com/ml\nimages:\n  app: { dockerfile: app/Dockerfile, context: app }\n";
    nockCommandIntake(b, { commentId: 730, head: HEAD, base: BASE, config, role: "maintain", checkRunId: 7300 });
    await b.deliver("issue_comment", prCommentPayload({ body: "/build", commentId: 730 }));
    const [queued] = await b.engine.store.list({ kind: "build" });
    expect(queued).toMatchObject({ state: "queued", checkRunId: 7300 });

    b = await restart(b, dir);
    b.api().patch(`${REPO_API}/check-runs/7300`).reply(200, gh.checkRun({ id: 7300 })).persist();
    b.api().post(`${REPO_API}/issues/comments/730/reactions`, { content: "confused" }).reply(201, gh.reaction("confused"));
    await b.worker.start();
    await b.worker.idle();
    expect(await b.engine.store.get(queued!.id)).toMatchObject({ state: "failed", reason: BUILD_OFF_REASON, reported: true });
    const check = finalCheckUpdate(b, 7300);
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("`MLOPS_DOCKER_HOST` is not set and `/var/run/docker.sock` does not exist");
  }, 60_000);
});
