import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { trainResultOf } from "../helpers/job-of-kind.js";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { makeExampleOrigin } from "../helpers/example-repo.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { sample, scrapeMetrics } from "../helpers/scrape-metrics.js";
import { tempDir } from "../helpers/temp-dir.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import * as gh from "../helpers/github-responses.js";

const CONFIG = ["gates:", "  accuracy: { min: 0.85, max_drop: 0.05 }", "report:", "  precision: 4", ""].join("\n");

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

function prPayload(head: string, base: string) {
  return gh.pullRequest({ number: 1, head, base, author: "octocat" });
}

describe("/train end to end on the embedded defaults", () => {
  it("trains the PR head with an override through the real pipeline and reports the real metrics", async () => {
    const dir = tempDir();
    const originRoot = path.join(dir, "origin");
    const { base, head } = makeExampleOrigin({ dir: path.join(originRoot, OWNER, REPO), change: { "train.n_estimators": "60" } });
    bot = await startBot({ dir, originRoot });
    const { api, calls } = bot;

    api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_e2e")).persist();
    api().post(`${REPO_API}/issues/comments/9100/reactions`, { content: "eyes" }).reply(201, gh.reaction("eyes"));
    commitRepoConfig(originRoot, CONFIG); // on the default branch: the bot reads it from its git mirror
    api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    api().get(`${REPO_API}/pulls/1`).reply(200, prPayload(head, base));
    api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: 55 }), { "x-ratelimit-remaining": "4990", "x-ratelimit-resource": "core" });
    api().patch(`${REPO_API}/check-runs/55`).times(20).optionally().reply(200, gh.checkRun({ id: 55 }));
    api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 777 }));
    api().post(`${REPO_API}/issues/comments/9100/reactions`, { content: "rocket" }).reply(201, gh.reaction("rocket"));

    const before = (await scrapeMetrics(bot.engine.metrics.registry)).text;
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train train.learning_rate=0.2", commentId: 9100 }));
    const [job] = await bot.engine.store.list({});
    expect(job).toMatchObject({ state: expect.stringMatching(/queued|running/), headSha: head, baseSha: base, checkRunId: 55 });
    // The override was checked against the params file at the head, read from the bot's git mirror.
    expect((job!.input as { overrides: unknown[] }).overrides).toEqual([expect.objectContaining({ key: "train.learning_rate", value: 0.2 })]);

    await bot.worker.start();
    await bot.worker.idle();

    const done = await bot.engine.store.get(job!.id);
    expect(done).toMatchObject({ state: "succeeded", reported: true });
    const result = trainResultOf(done);
    const produced = JSON.parse((await bot.engine.artifacts.get(`jobs/${job!.id}/results/ml/metrics.json`))!.toString()) as Record<string, number>;
    expect(Object.keys(produced)).toEqual(["accuracy", "precision", "recall", "f1", "roc_auc"]);
    expect(result.head.metrics["ml/metrics.json"]).toBe(JSON.stringify(produced, null, 2) + "\n");

    const finish = calls.filter((c) => c.method === "PATCH" && (c.body as { conclusion?: string }).conclusion).at(-1)!;
    const output = (finish.body as { output: { title: string; summary: string }; conclusion: string; actions: unknown[] }).output;
    expect((finish.body as { conclusion: string }).conclusion).toBe("success");
    const committed = JSON.parse(readFileSync(path.join(originRoot, OWNER, REPO, "ml/metrics.json"), "utf8")) as Record<string, number>;
    for (const [metric, value] of Object.entries(produced)) {
      const round = (n: number) => String(Number(n.toFixed(4)));
      const change = Number((value - committed[metric]!).toFixed(4));
      expect(output.summary).toContain(`| ml/metrics.json | ${metric} | ${round(committed[metric]!)} | ${round(value)} | ${String(change)} |`);
    }
    expect(output.summary).toContain("| ml/params.yaml | train.learning_rate | 0.1 | 0.2 |");
    expect(output.summary).toContain("| ml/params.yaml | train.n_estimators | 100 | 60 |");
    expect(output.summary).toContain("Overrides: `train.learning_rate=0.2`");
    expect(output.summary).toMatch(/- ✅ accuracy [\d.]+ ≥ min 0\.85/);
    expect(output.title).toMatch(/^accuracy 0\.\d+/);

    const sticky = calls.find((c) => c.method === "POST" && c.path === `${REPO_API}/issues/1/comments`)!;
    expect((sticky.body as { body: string }).body).toMatch(/^<!-- mlops-bot:train -->\n### 🚀 mlops-bot\/train: accuracy/);
    expect((sticky.body as { body: string }).body).toContain("[Full report](https://github.com/Codertocat/Hello-World/runs/55)");

    // The bot's /metrics page after the /train: the delivery, the job's states and times, GitHub's calls and rate limit.
    const after = (await scrapeMetrics(bot.engine.metrics.registry)).text;
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved('mlops_bot_webhooks_total{event="issue_comment.created",outcome="handled"}')).toBe(1);
    for (const state of ["queued", "running", "succeeded"]) expect(moved(`mlops_bot_jobs_total{kind="train",state="${state}"}`)).toBe(1);
    expect(moved('mlops_bot_job_queue_wait_seconds_count{kind="train"}')).toBe(1);
    expect(moved('mlops_bot_job_run_seconds_count{kind="train",state="succeeded"}')).toBe(1);
    expect(moved('mlops_bot_github_api_requests_total{method="POST",route="/repos/{owner}/{repo}/check-runs",status="201"}')).toBe(1);
    expect(moved('mlops_bot_github_api_requests_total{method="PATCH",route="/repos/{owner}/{repo}/check-runs/{check_run_id}",status="200"}')).toBeGreaterThanOrEqual(2);
    expect(sample(after, 'mlops_bot_github_rate_limit_remaining{resource="core"}')).toBe(4990);
    expect(after).not.toMatch(new RegExp(`${OWNER}|${REPO}|octocat`));

    // The API budget of a pull request's first /train (issue #15: at most 8), not counting the
    // installation token (one exchange an hour) and the throttled progress updates of the running
    // check run: 👀, permission, the PR, the check run queued and completed, the sticky comment
    // created without a search, 🚀. The repo config and the params file came from git, not the API.
    const counted = calls.filter((c) => !c.path.includes("/access_tokens") && !(c.method === "PATCH" && c.path.includes("/check-runs/") && !(c.body as { conclusion?: string }).conclusion));
    expect(counted.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST ${REPO_API}/issues/comments/9100/reactions`,
      `GET ${REPO_API}/collaborators/octocat/permission`,
      `GET ${REPO_API}/pulls/1`,
      `POST ${REPO_API}/check-runs`,
      `PATCH ${REPO_API}/check-runs/55`,
      `POST ${REPO_API}/issues/1/comments`,
      `POST ${REPO_API}/issues/comments/9100/reactions`,
    ]);
    expect(counted.length).toBeLessThanOrEqual(7);
    expect(calls.filter((c) => c.path.includes("/contents/"))).toEqual([]);
  }, 240_000);
});
