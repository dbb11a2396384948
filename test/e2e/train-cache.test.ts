import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TrainingResult } from "../../src/core/train/training-result.js";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { makeExampleOrigin } from "../helpers/example-repo.js";
import { OWNER, REPO, checkRunPayload, prCommentPayload, pushPayload } from "../helpers/payloads.js";
import { finalCheckUpdate, nockCommandIntake, nockInstallationToken, nockJobEnd, pullRequestPayload } from "../helpers/train-nocks.js";
import * as gh from "../helpers/github-responses.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";

const CONFIG = "train_on_push: true\n";

/** The stages DVC ran (not restored) in a job, from its log: `Running stage 'train':`. */
async function stagesRun(bot: BotHarness, jobId: string): Promise<{ ran: string[]; log: string }> {
  const log = (await bot.engine.artifacts.get(`jobs/${jobId}/log.txt`))!.toString();
  return { ran: [...log.matchAll(/^Running stage '([^']+)':/gm)].map((m) => m[1]!), log };
}

/**
 * The GitHub API calls the bot made since `mark` (an index into `bot.calls`), not counting the
 * installation token (one exchange an hour) and the throttled progress updates of a running check.
 */
function apiCalls(bot: BotHarness, mark: number): string[] {
  const counted = bot.calls.slice(mark).filter((c) => !c.path.includes("/access_tokens") && !(c.method === "PATCH" && c.path.includes("/check-runs/") && !(c.body as { conclusion?: string }).conclusion));
  return counted.map((c) => `${c.method} ${c.path}`);
}

// One bot and one origin for the whole file: each step builds on the cache the previous ones left.
describe("incremental training: the shared DVC cache through the bot, on the real pipeline", () => {
  let bot: BotHarness;
  const dir = mkdtempSync(path.join(tmpdir(), "mlops-bot-train-cache-"));
  const originRoot = path.join(dir, "origin");
  const origin = path.join(originRoot, OWNER, REPO);
  const { base, head } = makeExampleOrigin({ dir: origin, change: {} });
  let pushed = "";
  afterAll(async () => {
    await bot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function lastJob() {
    const jobs = await bot.engine.store.list({ kind: "train" });
    return jobs.at(-1)!;
  }

  it("a push to the default branch trains it and fills the default branch's layer", async () => {
    bot = await startBot({ dir, originRoot });
    nockInstallationToken(bot);
    // The push that adds the config (train_on_push): the bot reads it at the pushed head, from git.
    pushed = commitRepoConfig(originRoot, CONFIG);
    bot.api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: 10, headSha: pushed }));
    bot.api().patch(`${REPO_API}/check-runs/10`).reply(200, gh.checkRun({ id: 10 })).persist();
    await bot.deliver("push", { ...pushPayload({ branch: "main", sha: pushed }), before: "0000000000000000000000000000000000000000" }, "push-1");
    await bot.worker.start();
    await bot.worker.idle();

    const job = await lastJob();
    expect(job).toMatchObject({ state: "succeeded", pr: null, headRef: "main", headSha: pushed });
    const { ran } = await stagesRun(bot, job.id);
    expect(ran).toEqual(expect.arrayContaining(["generate", "preprocess", "train", "export"]));
    expect(finalCheckUpdate(bot, 10).conclusion).toBe("success");
    const layer = path.join(bot.dataDir, "cache", OWNER, REPO, "default");
    expect(readdirSync(path.join(layer, "runs")).length).toBeGreaterThan(0);
  }, 240_000);

  it("a pull request's first /train restores every stage from the default branch's layer", async () => {
    nockCommandIntake(bot, { commentId: 1, head, base, config: CONFIG, checkRunId: 11 });
    nockJobEnd(bot, { checkRunId: 11, commentId: 1, reaction: "rocket" });
    const mark = bot.calls.length;
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 1 }));
    await bot.worker.idle();

    const job = await lastJob();
    expect(job).toMatchObject({ state: "succeeded", pr: 1 });
    const { ran, log } = await stagesRun(bot, job.id);
    expect(ran).toEqual([]);
    expect(log).toContain("restoring from the default branch's layer (read-only) with `dvc repro --pull`");
    expect(Object.keys((job.result as TrainingResult).head.metrics)).toEqual(["ml/metrics.json"]);
    // The API budget of a first /train on a pull request (at most 8): the sticky comment is created without a search.
    const calls = apiCalls(bot, mark);
    expect(calls).toContain(`POST ${REPO_API}/issues/1/comments`);
    expect(calls).not.toContain(`GET ${REPO_API}/issues/1/comments`);
    expect(calls.filter((c) => c.includes("/contents/"))).toEqual([]); // the config and the params files come from git
    expect(calls.length).toBeLessThanOrEqual(7);
  }, 120_000);

  it("a train.* override re-runs only train, evaluate and export", async () => {
    nockCommandIntake(bot, { commentId: 2, head, base, config: CONFIG, checkRunId: 12 });
    nockJobEnd(bot, { checkRunId: 12, commentId: 2, reaction: "rocket", stickyExists: true });
    const mark = bot.calls.length;
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train train.n_estimators=60", commentId: 2 }));
    await bot.worker.idle();

    const job = await lastJob();
    expect(job).toMatchObject({ state: "succeeded", pr: 1 });
    expect((await stagesRun(bot, job.id)).ran).toEqual(["train", "evaluate", "export"]);
    // A later /train with an override, within the budget too: the config and the params file come from git, the sticky comment is edited by its id.
    const calls = apiCalls(bot, mark);
    expect(calls).toEqual([
      `POST ${REPO_API}/issues/comments/2/reactions`,
      `GET ${REPO_API}/collaborators/octocat/permission`,
      `GET ${REPO_API}/pulls/1`,
      `POST ${REPO_API}/check-runs`,
      `PATCH ${REPO_API}/check-runs/12`,
      `PATCH ${REPO_API}/issues/comments/4242`,
      `POST ${REPO_API}/issues/comments/2/reactions`,
    ]);
    expect(calls.length).toBeLessThanOrEqual(7);
    // The pull request's own layer holds the new runs; the default branch's has none of them.
    expect(existsSync(path.join(bot.dataDir, "cache", OWNER, REPO, "pr-1", "runs"))).toBe(true);
  }, 180_000);

  it("a Re-run of the same commit and overrides restores everything from the pull request's layer", async () => {
    const previous = await lastJob();
    bot.api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    // A Re-run goes through /train's checks: the pull request is read (open, same repository).
    bot.api().get(`${REPO_API}/pulls/1`).reply(200, pullRequestPayload({ head, base }));
    bot.api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: 13, headSha: head }));
    nockJobEnd(bot, { checkRunId: 13, stickyExists: true });
    await bot.deliver("check_run", checkRunPayload({ action: "rerequested", jobId: previous.id }), "rerun-1");
    await bot.worker.idle();

    const job = await lastJob();
    expect(job.id).not.toBe(previous.id);
    expect(job).toMatchObject({ state: "succeeded", headSha: head });
    expect((await stagesRun(bot, job.id)).ran).toEqual([]);
    const metrics = (j: typeof job) => (j.result as TrainingResult).head.metrics["ml/metrics.json"];
    expect(metrics(job)).toBe(metrics(previous));
  }, 120_000);
});
