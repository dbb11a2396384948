import { createHash } from "node:crypto";
import path from "node:path";
import { Storage } from "@google-cloud/storage";
import { afterEach, describe, expect, it } from "vitest";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { makeExampleOrigin } from "../helpers/example-repo.js";
import { cloudRunClientOptions } from "../helpers/fake-cloud-run.js";
import { FakeCloudRunService } from "../helpers/fake-cloud-run-service.js";
import { gcsEmulator } from "../helpers/gcs-emulator.js";
import { jobOfKind, trainResultOf } from "../helpers/job-of-kind.js";
import { seedTrainRun } from "../helpers/seed-train-run.js";
import { OWNER, REPO, prCommentPayload, pullRequestClosedPayload } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";
import { finalCheckUpdate, nockCommandIntake, nockJobEnd } from "../helpers/train-nocks.js";
import * as gh from "../helpers/github-responses.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";

const gcs = gcsEmulator();
const SERVICE = "projects/ml-project/locations/europe-west1/services/mlops-bot-inference";
const CONFIG = ["gates:", "  accuracy: { min: 0.85 }", "deploy:", "  on_merge: true", ""].join("\n");

let bot: BotHarness | undefined;
let service: FakeCloudRunService | undefined;
afterEach(async () => {
  service?.stop();
  service = undefined;
  await bot?.stop();
  bot = undefined;
});

/** The bot with promotions on: the inference service faked (Admin API v2), models in the Cloud Storage emulator. */
async function setup(options: { modelInImage?: boolean; originChange?: Record<string, string> } = {}) {
  const dir = tempDir();
  const originRoot = path.join(dir, "origin");
  const { base, head } = makeExampleOrigin({ dir: path.join(originRoot, OWNER, REPO), change: options.originChange ?? { "train.n_estimators": "40" } });
  const models = gcs!.url("models");
  service = new FakeCloudRunService(SERVICE, { modelInImage: options.modelInImage });
  bot = await startBot({
    dir,
    originRoot,
    env: { MLOPS_DEPLOY_SERVICE: SERVICE, MLOPS_DEPLOY_MODELS: models, MLOPS_GCS_ENDPOINT: gcs!.endpoint },
    cloudRun: { clientOptions: cloudRunClientOptions(), pollMs: 20 },
  });
  return { bot, service, base, head, models };
}

/** A merged `pull_request.closed` for PR #1 at `head`, merged by `mergedBy`. */
function mergedPayload(head: string, mergedBy = "octocat") {
  const payload = pullRequestClosedPayload({ body: null, merged: true, number: 1 });
  payload.pull_request.head = { ...payload.pull_request.head, sha: head, ref: "feature-1" };
  payload.pull_request.base = { ...payload.pull_request.base, ref: "main" };
  payload.pull_request.merge_commit_sha = "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1";
  payload.pull_request.merged_by = { ...payload.pull_request.user, login: mergedBy };
  return payload;
}

/** Reads an object of the emulator. */
async function readObject(uri: string): Promise<Buffer> {
  const [, bucket, name] = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri)!;
  const [data] = await new Storage({ apiEndpoint: gcs!.endpoint, projectId: "test" }).bucket(bucket!).file(name!).download();
  return data;
}

const comments = (b: BotHarness) => b.calls.filter((c) => c.method === "POST" && c.path === `${REPO_API}/issues/1/comments`).map((c) => (c.body as { body: string }).body);

// Runs where scripts/start-test-services.sh started the Cloud Storage emulator (npm test does; CI requires it).
describe.runIf(gcs)("promotion: a merged PR's model served on Cloud Run (Admin API faked, Cloud Storage emulated, the pipeline real)", () => {
  it("merged PR with a passing /train → model uploaded → Cloud Run rolled to a revision → check run with the revision; /deploy rolls again; a changed model is refused", async () => {
    const { bot, service, base, head, models } = await setup();
    nockCommandIntake(bot, { commentId: 800, head, base, config: CONFIG, checkRunId: 8000 });
    nockJobEnd(bot, { checkRunId: 8000, commentId: 800, reaction: "rocket" });
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 800 }));
    await bot.worker.start();
    await bot.worker.idle();
    const [train] = await bot.engine.store.list({ kind: "train" });
    const trained = trainResultOf(train);
    expect(train?.state).toBe("succeeded");
    const model = await bot.engine.artifacts.get(trained.model!.key);
    expect(trained.model).toMatchObject({ path: "ml/models/model.onnx", bytes: model!.length, sha256: createHash("sha256").update(model!).digest("hex") });
    expect(model!.subarray(0, 2).length).toBe(2);

    // The merge: config from the default branch (read again when the promotion starts), the queued check run, its end.
    commitRepoConfig(bot.originRoot, CONFIG); // read with git, at the merge and again when the promotion starts
    bot.api().post(`${REPO_API}/check-runs`, (b: { name: string; head_sha: string }) => b.name === "mlops-bot/deploy" && b.head_sha === head).reply(201, gh.checkRun({ id: 8100, headSha: head }));
    bot.api().patch(`${REPO_API}/check-runs/8100`).reply(200, gh.checkRun({ id: 8100 })).persist();
    await bot.deliver("pull_request", mergedPayload(head));
    await bot.worker.idle();

    const [deploy] = await bot.engine.store.list({ kind: "deploy" });
    const promoted = jobOfKind(deploy, "deploy");
    expect(promoted).toMatchObject({ state: "succeeded", pr: 1, headSha: head, requestedBy: "octocat", input: { trigger: "merge", run: { jobId: train!.id } } });
    const result = promoted.result!;
    const revision = result.revision!;
    expect(revision).toMatch(new RegExp(`^mlops-bot-inference-${head.slice(0, 7)}-[a-z0-9]{8}$`));
    expect(service.serving).toBe(revision);

    // The model went to its own folder of the models bucket, byte for byte, with its lineage beside it.
    const folder = `${models.replace(/^gs:\/\/[^/]+\//, "")}/mlops-bot-inference/${revision.slice("mlops-bot-inference-".length)}`;
    expect(result.modelUri).toBe(`${models}/mlops-bot-inference/${revision.slice("mlops-bot-inference-".length)}/model.onnx`);
    expect((await readObject(result.modelUri!)).equals(model!)).toBe(true);
    const lineage = JSON.parse((await readObject(result.lineageUri!)).toString()) as Record<string, unknown>;
    expect(lineage).toMatchObject({ repository: `${OWNER}/${REPO}`, pullRequest: 1, commit: head, mergeCommit: "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1", trainJob: train!.id, deployJob: promoted.id, trigger: "merge" });
    expect(lineage.model).toEqual({ path: "ml/models/model.onnx", bytes: model!.length, sha256: trained.model!.sha256 });
    expect(lineage.metrics).toEqual(expect.arrayContaining([{ file: "ml/metrics.json", key: "accuracy", value: JSON.parse(trained.head.metrics["ml/metrics.json"]!).accuracy }]));

    // The Cloud Run update: the same service, the model volume on the new folder only, a named revision with its lineage, all traffic on it.
    const [update] = service.updates;
    expect(update.template.revision).toBe(revision);
    expect(update.template.volumes).toEqual([{ name: "model", gcs: { bucket: gcs!.bucket, readOnly: true, mountOptions: [`only-dir=${folder}`] } }]);
    expect(update.template.containers[0]).toMatchObject({ image: "europe-west1-docker.pkg.dev/ml-project/mlops-bot/inference:3f2a9c1", env: [{ name: "MODEL_PATH", value: "/model/model.onnx" }] });
    expect(update.template.labels).toMatchObject({ "mlops-bot-pr": "1", "mlops-bot-sha": head, "mlops-bot-train-job": expect.any(String) });
    // (proto3 JSON: the client sends the enum by number; 1 is TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST)
    expect(update.traffic).toEqual([{ type: expect.toBeOneOf([1, "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"]), percent: 100 }]);

    // The check run: the revision, the metrics, the rollback to what served before.
    const check = finalCheckUpdate(bot, 8100);
    expect(check.conclusion).toBe("success");
    expect(check.output.title).toBe(`Serving ${head.slice(0, 7)} as ${revision}`);
    expect(check.output.summary).toContain(`| Revision | \`${revision}\` (100% of traffic) |`);
    expect(check.output.summary).toContain("| Served before | `mlops-bot-inference-00001-abc` |");
    expect(check.output.summary).toMatch(/\| `ml\/metrics.json` \| accuracy \| 0\.\d+ \|/);
    expect(check.output.summary).toMatch(/- ✅ accuracy 0\.\d+ ≥ min 0\.85/);
    expect(check.output.summary).toContain(
      "gcloud run services update-traffic mlops-bot-inference --region europe-west1 --project ml-project --to-revisions mlops-bot-inference-00001-abc=100",
    );

    // A redelivered merge promotes nothing more.
    commitRepoConfig(bot.originRoot, CONFIG);
    await bot.deliver("pull_request", mergedPayload(head), "redelivery-of-the-merge");
    await bot.worker.idle();
    expect(await bot.engine.store.list({ kind: "deploy" })).toHaveLength(1);

    // /deploy from a maintainer on the merged PR: a new revision; the rollback now names the first promotion.
    nockCommandIntake(bot, { commentId: 801, head, base, config: CONFIG, role: "maintain", checkRunId: 8101, state: "closed" });
    bot.api().patch(`${REPO_API}/check-runs/8101`).reply(200, gh.checkRun({ id: 8101 })).persist();
    bot.api().post(`${REPO_API}/issues/comments/801/reactions`, { content: "rocket" }).reply(201, gh.reaction("rocket"));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/deploy", commentId: 801 }));
    await bot.worker.idle();
    const again = finalCheckUpdate(bot, 8101);
    expect(again.conclusion).toBe("success");
    expect(service.updates).toHaveLength(2);
    expect(service.serving).not.toBe(revision);
    expect(again.output.summary).toContain(`--to-revisions ${revision}=100`);

    // The stored model changed after its gates passed: nothing is uploaded or rolled.
    await bot.engine.artifacts.put(trained.model!.key, Buffer.concat([model!, Buffer.from("tampered")]));
    nockCommandIntake(bot, { commentId: 802, head, base, config: CONFIG, role: "maintain", checkRunId: 8102 });
    bot.api().patch(`${REPO_API}/check-runs/8102`).reply(200, gh.checkRun({ id: 8102 })).persist();
    bot.api().post(`${REPO_API}/issues/comments/802/reactions`, { content: "confused" }).reply(201, gh.reaction("confused"));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/deploy", commentId: 802 }));
    await bot.worker.idle();
    const refused = finalCheckUpdate(bot, 8102);
    expect(refused.conclusion).toBe("failure");
    expect(refused.output.summary).toContain("is not the file that passed the gates (its SHA-256 changed), so nothing was deployed");
    expect(service.updates).toHaveLength(2);
  }, 300_000);

  it("never promotes a PR whose gates failed, and /deploy is for maintainers, on the run at the PR's head, with no argument", async () => {
    const { bot, service, base, head } = await setup();
    await seedTrainRun(bot, { pr: 1, head, accuracy: 0.6, minAccuracy: 0.85 });
    await bot.worker.start();

    // Merged with deploy.on_merge: its run failed a gate, so nothing is queued, uploaded or rolled.
    nockCommandIntake(bot, { commentId: 900, head, base, config: CONFIG, role: "maintain" });
    commitRepoConfig(bot.originRoot, CONFIG);
    await bot.deliver("pull_request", mergedPayload(head));
    await bot.worker.idle();
    expect(await bot.engine.store.list({ kind: "deploy" })).toEqual([]);

    // A maintainer's /deploy gets the reason instead.
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 9900 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/deploy", commentId: 900 }));
    expect(comments(bot).at(-1)).toContain("Nothing was deployed. The last `/train` of #");
    expect(comments(bot).at(-1)).toContain("did not pass its gates, so its model is not deployed:\n\n- ❌ accuracy 0.6 < min 0.85");

    // Someone with write access (enough for /train) may not deploy.
    nockCommandIntake(bot, { commentId: 901, head, base, config: CONFIG, role: "write", pr: false });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 9901 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/deploy", commentId: 901 }));
    expect(comments(bot).at(-1)).toContain("`/deploy` needs **maintain** permission on this repository; you have **write**. Nothing was run.");

    // The PR's head moved after its last /train: that run's model is not the code under review.
    const moved = "f00d".repeat(10);
    nockCommandIntake(bot, { commentId: 902, head: moved, base, config: CONFIG, role: "admin" });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 9902 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/deploy", commentId: 902 }));
    expect(comments(bot).at(-1)).toContain(`trained \`${head.slice(0, 7)}\`, but the pull request's head is \`f00df00\``);

    // The comment cannot name what to deploy: /deploy takes no argument.
    bot.api().post(`${REPO_API}/issues/comments/903/reactions`, { content: "eyes" }).reply(201, gh.reaction("eyes"));
    commitRepoConfig(bot.originRoot, CONFIG);
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 9903 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/deploy gs://elsewhere/model.onnx", commentId: 903 }));
    expect(comments(bot).at(-1)).toMatch(/`\/deploy` takes no argument `gs:\u200b?\/\/elsewhere\/model\.onnx`/);

    await bot.worker.idle();
    expect(await bot.engine.store.list({ kind: "deploy" })).toEqual([]);
    expect(service.updates).toEqual([]);
  }, 120_000);

  it("reports a revision that never becomes ready, without moving traffic", async () => {
    const { bot, service, base, head } = await setup();
    await seedTrainRun(bot, { pr: 1, head, accuracy: 0.95, minAccuracy: 0.85 });
    await bot.worker.start();
    service.nextRevisionFails = "The user-provided container failed the configured startup probe checks.";
    nockCommandIntake(bot, { commentId: 950, head, base, config: CONFIG, role: "maintain", checkRunId: 9500 });
    bot.api().patch(`${REPO_API}/check-runs/9500`).reply(200, gh.checkRun({ id: 9500 })).persist();
    bot.api().post(`${REPO_API}/issues/comments/950/reactions`, { content: "confused" }).reply(201, gh.reaction("confused"));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/deploy", commentId: 950 }));
    await bot.worker.idle();
    const failed = finalCheckUpdate(bot, 9500);
    expect(failed.conclusion).toBe("failure");
    expect(failed.output.title).toBe("Not deployed");
    expect(failed.output.summary).toContain("did not become ready (The user-provided container failed the configured startup probe checks.); traffic stays on the previous revision.");
    expect(failed.output.summary).not.toContain("### Rollback");
    expect(service.serving).toBe("mlops-bot-inference-00001-abc");
  }, 120_000);

  it("refuses a service whose model is baked into its image: nothing is uploaded or rolled", async () => {
    const { bot, service, base, head } = await setup({ modelInImage: true });
    await seedTrainRun(bot, { pr: 1, head, accuracy: 0.95, minAccuracy: 0.85 });
    await bot.worker.start();
    nockCommandIntake(bot, { commentId: 960, head, base, config: CONFIG, role: "maintain", checkRunId: 9600 });
    bot.api().patch(`${REPO_API}/check-runs/9600`).reply(200, gh.checkRun({ id: 9600 })).persist();
    bot.api().post(`${REPO_API}/issues/comments/960/reactions`, { content: "confused" }).reply(201, gh.reaction("confused"));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/deploy", commentId: 960 }));
    await bot.worker.idle();
    const refused = finalCheckUpdate(bot, 9600);
    expect(refused.conclusion).toBe("failure");
    expect(refused.output.summary).toContain("serves the model baked into its image");
    expect(refused.output.summary).toContain("inference_model_uri");
    expect(service.updates).toEqual([]);
  }, 120_000);
});
