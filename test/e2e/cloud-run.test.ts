import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { trainResultOf } from "../helpers/job-of-kind.js";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { JOB_PATH, ROOT, makeExampleOrigin } from "../helpers/example-repo.js";
import { cloudRunClientOptions, FakeCloudRun } from "../helpers/fake-cloud-run.js";
import { gcsEmulator } from "../helpers/gcs-emulator.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { startFakeGitHub } from "../helpers/fake-github.js";
import { tempDir } from "../helpers/temp-dir.js";
import { finalCheckUpdate, nockCommandIntake, nockJobEnd, waitFor } from "../helpers/train-nocks.js";
import * as gh from "../helpers/github-responses.js";

const gcs = gcsEmulator();
const JOB = "projects/ml-project/locations/europe-west1/jobs/mlops-bot-training";

let bot: BotHarness | undefined;
let fake: FakeCloudRun | undefined;
let github: Awaited<ReturnType<typeof startFakeGitHub>> | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
  fake?.stop();
  await bot?.stop();
  bot = undefined;
});

/** The bot on Cloud Storage artifacts (the emulator) with runner: cloud-run against a faked Admin API. */
async function setup(change: Record<string, string> = { "train.n_estimators": "40" }, web: Record<string, string> = {}) {
  const dir = tempDir();
  const originRoot = path.join(dir, "origin");
  const { base, head } = makeExampleOrigin({ dir: path.join(originRoot, OWNER, REPO), change });
  const artifacts = gcs!.url("cloud-run-e2e");
  // The task's environment: what the training image has (the venv's dvc and python on PATH).
  fake = new FakeCloudRun(JOB, { PATH: JOB_PATH, HOME: dir, MLOPS_JOB_ROOT: dir, MLOPS_GCS_ENDPOINT: gcs!.endpoint });
  bot = await startBot({
    dir,
    originRoot,
    env: { MLOPS_ARTIFACTS: artifacts, MLOPS_GCS_ENDPOINT: gcs!.endpoint, MLOPS_CLOUD_RUN_JOB: JOB, ...web },
    cloudRun: { clientOptions: cloudRunClientOptions(), pollMs: 100 },
  });
  return { bot, fake, base, head };
}

// Runs where scripts/start-test-services.sh started the Cloud Storage emulator (npm test does; CI requires it).
describe.runIf(gcs)("/train with runner: cloud-run (Cloud Run Admin API faked, Cloud Storage emulated, the job agent real)", () => {
  it("runs the real pipeline as a Cloud Run task and finishes the check with its metrics, shown on its job page", async () => {
    // The job pages, served as the bot serves them, on a port of this test.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { bot, fake, base, head } = await setup(undefined, { MLOPS_PUBLIC_URL: origin, MLOPS_WEB_SECRET: "cloud-run-page-test-secret-0123456789abcdef" });
    server.on("request", (req, res) => void bot.engine.jobPages.handler!(req, res).then((handled) => handled || res.writeHead(404).end()));
    nockCommandIntake(bot, { commentId: 700, head, base, config: "runner: cloud-run\n", checkRunId: 7000 });
    nockJobEnd(bot, { checkRunId: 7000, commentId: 700, reaction: "rocket" });

    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 700 }));
    await bot.worker.start();
    await bot.worker.idle();

    const [job] = await bot.engine.store.list({});
    expect(job?.state).toBe("succeeded");
    const override = fake.runs[0]!.body.overrides.containerOverrides[0];
    expect(override.args.slice(0, 6)).toEqual(["mlops-bot", "job", "--run", expect.stringMatching(/^gs:\/\/mlops-test\/cloud-run-e2e-\w+\/runs\//), "--workdir", "ml"]);
    expect(override.args.slice(-3)).toEqual(["--", "dvc", "repro"]);
    expect(override.env).toEqual(expect.arrayContaining([{ name: "DVC_NO_ANALYTICS", value: "1" }]));
    expect(override.env.map((e: { name: string }) => e.name)).not.toContain("PATH");

    const result = trainResultOf(job);
    const produced = JSON.parse(result.head.metrics["ml/metrics.json"]!) as Record<string, number>;
    expect(Object.keys(produced)).toEqual(["accuracy", "precision", "recall", "f1", "roc_auc"]);
    const end = finalCheckUpdate(bot, 7000);
    expect(end.conclusion).toBe("success");
    expect(end.output.summary).toContain(`| ml/metrics.json | accuracy | 0.94 | ${String(Number(produced.accuracy!.toFixed(5)))} |`);
    expect((await bot.engine.artifacts.get(result.logKey))?.toString()).toContain("Running stage 'train'");

    // The run's cost: the task's resources as Cloud Run reports them, at the default list prices.
    expect(result.resources).toEqual({ runner: "cloud-run", wallMs: result.durationMs, vcpu: 2, memoryGiB: 4, gpu: null, basis: "limits" });
    expect(result.cost?.amount).toBeCloseTo((result.durationMs / 1000) * (2 * 0.000018 + 4 * 0.000002), 12);
    expect(end.output.summary).toMatch(/\nEstimated cost: \*\*0\.\d+ USD\*\* \(cloud-run: 2 vCPU, 4 GiB for \d+ s\)\.\n/);
    const comment = bot.calls.find((c) => c.method === "POST" && c.path === `${REPO_API}/issues/1/comments`)?.body as { body: string };
    expect(comment.body).toMatch(/Estimated cost 0\.\d+ USD\./);

    // The job page reads the run from Cloud Storage: the log the task wrote, the stages, the metrics, the ROC plot.
    const created = bot.calls.find((c) => c.method === "POST" && c.path === `${REPO_API}/check-runs`)!;
    const html = await (await fetch((created.body as { details_url: string }).details_url)).text();
    expect(html).toContain("<strong>Succeeded</strong>");
    expect(html).toContain("Running stage &#39;train&#39;");
    expect(html).toMatch(/<code>evaluate<\/code> <span class="stage-state">done<\/span>/);
    expect(html).toMatch(/<th scope="row"><code>accuracy<\/code><\/th>/);
    expect(html).toContain('aria-label="ROC curve (test split): base and head"');
    const log = /href="([^"]+\/log\.txt\?[^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
    expect(await (await fetch(new URL(log, origin))).text()).toContain("Running stage 'evaluate'");
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }, 180_000);

  it("fails the check with the failing stage when the pipeline fails in the task", async () => {
    const { bot, base, head } = await setup();
    nockCommandIntake(bot, { commentId: 701, head, base, config: "runner: cloud-run\n", checkRunId: 7010 });
    nockJobEnd(bot, { checkRunId: 7010, commentId: 701, reaction: "confused" });
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train train.model=no_such_model", commentId: 701 }));
    await bot.worker.start();
    await bot.worker.idle();
    const end = finalCheckUpdate(bot, 7010);
    expect(end.conclusion).toBe("failure");
    expect(end.output.title).toBe("Pipeline failed in stage 'train'");
  }, 180_000);

  it("ends as timed_out when the task runs past pipeline.timeout", async () => {
    const { bot, base, head } = await setup();
    nockCommandIntake(bot, { commentId: 702, head, base, config: "runner: cloud-run\npipeline:\n  timeout: 2s\n", checkRunId: 7020 });
    nockJobEnd(bot, { checkRunId: 7020, commentId: 702, reaction: "confused" });
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 702 }));
    await bot.worker.start();
    await bot.worker.idle();
    expect(finalCheckUpdate(bot, 7020).conclusion).toBe("timed_out");
  }, 180_000);

  it("/cancel cancels the Cloud Run execution and the check ends cancelled", async () => {
    const { bot, fake, base, head } = await setup();
    nockCommandIntake(bot, { commentId: 703, head, base, config: "runner: cloud-run\n", checkRunId: 7030 });
    nockJobEnd(bot, { checkRunId: 7030 });
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 703 }));
    await bot.worker.start();
    await waitFor(() => fake.runs.length === 1);

    nockCommandIntake(bot, { commentId: 704, head, base, pr: false });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 2 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/cancel", commentId: 704 }));
    await bot.worker.idle();

    expect(fake.cancels).toEqual([fake.runs[0]!.execution]);
    expect(finalCheckUpdate(bot, 7030).conclusion).toBe("cancelled");
  }, 180_000);

  it("a bot killed mid-run is restarted and follows the same execution to the end, without starting another", async () => {
    const dir = tempDir();
    const originRoot = path.join(dir, "origin");
    const { base, head } = makeExampleOrigin({ dir: path.join(originRoot, OWNER, REPO), change: { "train.n_estimators": "30" } });
    const artifacts = gcs!.url("cloud-run-restart");
    fake = new FakeCloudRun(JOB, { PATH: JOB_PATH, HOME: dir, MLOPS_JOB_ROOT: dir, MLOPS_GCS_ENDPOINT: gcs!.endpoint });
    const { port, clientOptions } = await fake.listen();
    const env = { MLOPS_ARTIFACTS: artifacts, MLOPS_GCS_ENDPOINT: gcs!.endpoint, MLOPS_CLOUD_RUN_JOB: JOB };
    bot = await startBot({ dir, originRoot, env, cloudRun: { clientOptions, pollMs: 100 }, leaseMs: 1500 });
    nockCommandIntake(bot, { commentId: 705, head, base, config: "runner: cloud-run\n", checkRunId: 7050 });
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 705 }));
    const [job] = await bot.engine.store.list({});

    // A first bot process claims the job and starts the Cloud Run execution ...
    github = await startFakeGitHub();
    const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/crashing-bot.ts", bot.dataDir, path.join(originRoot, "{owner}", "{repo}"), JOB_PATH], {
      cwd: ROOT,
      env: { ...process.env, ...env, FAKE_CLOUD_RUN_PORT: String(port), TEST_LEASE_MS: "1500", FAKE_GITHUB_URL: github.url },
      stdio: "ignore",
    });
    await waitFor(async () => fake!.runs.length === 1 && (await bot!.engine.store.getFact(`runner-handle:${job!.id}`)) !== undefined);
    // ... and is killed while the execution goes on.
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    nockJobEnd(bot, { checkRunId: 7050, commentId: 705, reaction: "rocket" });
    await bot.worker.start();
    await waitFor(async () => (await bot!.engine.store.get(job!.id))?.reported === true, 120_000);

    expect(fake.runs).toHaveLength(1);
    const done = await bot.engine.store.get(job!.id);
    expect(done?.state).toBe("succeeded");
    const metrics = JSON.parse(trainResultOf(done).head.metrics["ml/metrics.json"]!) as Record<string, number>;
    expect(finalCheckUpdate(bot, 7050).output.summary).toContain(`| ml/metrics.json | accuracy | 0.94 | ${String(Number(metrics.accuracy!.toFixed(5)))} |`);
  }, 180_000);
});
