import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { approvalKey } from "../../src/commands/check-fork-policy.js";
import { OWNER, REPO, checkRunPayload, pushPayload } from "../helpers/payloads.js";
import { jobOfKind } from "../helpers/job-of-kind.js";
import { newJob, newTrainInput } from "../helpers/new-job.js";
import { tempDir } from "../helpers/temp-dir.js";
import * as gh from "../helpers/github-responses.js";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** The original run's commit, and what the PR looks like now. */
const SHA = newJob().headSha;
const prNow = (params: { fork?: boolean; state?: "open" | "closed"; head?: string } = {}) => gh.pullRequest({ number: 1, head: params.head ?? SHA, base: "ba5e", ...params });
const lastComment = (b: BotHarness) => (b.calls.filter((c) => c.path.endsWith("/issues/1/comments")).at(-1)?.body as { body: string } | undefined)?.body;

async function withOriginalJob(config?: string) {
  const dir = tempDir();
  bot = await startBot({ dir, originRoot: path.join(dir, "origin") });
  const { job } = await bot.engine.store.enqueue(
    newJob({ repo: { owner: "Codertocat", name: "Hello-World", installationId: 2 }, group: "Codertocat/Hello-World#1:train", input: newTrainInput([{ file: "ml/params.yaml", key: "train.seed", path: ["train", "seed"], type: "int", value: 7, literal: "7" }]) }),
  );
  await bot.engine.store.transition(job.id, "queued", "cancelled", { reason: "test" });
  await bot.engine.store.update(job.id, { reported: true });
  bot.api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_t"));
  commitRepoConfig(bot.originRoot, config);
  return { bot, job };
}

describe("re-running a train check", () => {
  it.each([
    ["rerequested", undefined],
    ["requested_action", "train-again"],
  ] as const)("%s queues the same commit and overrides again, with a new queued check run", async (action, identifier) => {
    const { bot, job } = await withOriginalJob();
    bot.api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    bot.api().get(`${REPO_API}/pulls/1`).reply(200, prNow());
    bot.api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: 333 }));

    await bot.deliver("check_run", checkRunPayload({ action, jobId: job.id, ...(identifier ? { identifier } : {}) }), "rerun-1");
    await bot.deliver("check_run", checkRunPayload({ action, jobId: job.id }), "rerun-1"); // redelivery: nothing twice

    const jobs = await bot.engine.store.list({ state: "queued" });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ headSha: job.headSha, checkRunId: 333, requestedBy: "octocat", commentId: null });
    expect(jobOfKind(jobs[0], "train").input.overrides).toEqual([{ file: "ml/params.yaml", key: "train.seed", path: ["train", "seed"], type: "int", value: 7, literal: "7" }]);
    const created = bot.calls.find((c) => c.method === "POST" && c.path.endsWith("/check-runs"))!.body as Record<string, unknown>;
    expect(created).toMatchObject({ name: "mlops-bot/train", head_sha: job.headSha, external_id: jobs[0]!.id, status: "queued" });
  });

  it("refuses a user without the /train permission, with a comment on the PR", async () => {
    const { bot, job } = await withOriginalJob();
    bot.api().get(`${REPO_API}/collaborators/visitor/permission`).reply(200, gh.permission("visitor", "read"));
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 1 }));

    await bot.deliver("check_run", checkRunPayload({ action: "rerequested", jobId: job.id, sender: "visitor" }));

    expect(await bot.engine.store.list({ state: "queued" })).toEqual([]);
    const comment = bot.calls.find((c) => c.path.endsWith("/issues/1/comments"))!.body as { body: string };
    expect(comment.body).toBe("@visitor Re-running training needs **write** permission on this repository; you have **read**. Nothing was run.");
  });

  it.each([
    ["a closed pull request", undefined, prNow({ state: "closed" }), "This pull request is closed, so nothing was trained."],
    ["a fork under `forks: deny`", "forks: deny\n", prNow({ fork: true }), "this repository's config (`forks: deny`) runs nothing for forks. Nothing was run."],
    ["an unapproved fork commit", undefined, prNow({ fork: true }), `A maintainer must review commit \`${SHA.slice(0, 7)}\` and comment \`/ok-to-train\` before \`/train\` runs it`],
    // The fork pushed since: the button still names the old commit, and only its own approval runs it.
    ["an unapproved earlier fork commit", undefined, prNow({ fork: true, head: "f".repeat(40) }), `comment \`/ok-to-train ${SHA}\` before \`/train\` runs it`],
  ] as const)("on %s queues nothing and says why on the PR, as /train would", async (_case, config, pr, refusal) => {
    const { bot, job } = await withOriginalJob(config);
    bot.api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "admin"));
    bot.api().get(`${REPO_API}/pulls/1`).reply(200, pr);
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 1 }));

    await bot.deliver("check_run", checkRunPayload({ action: "requested_action", jobId: job.id }));

    expect(await bot.engine.store.list({ state: "queued" })).toEqual([]);
    expect(bot.calls.filter((c) => c.path.endsWith("/check-runs"))).toEqual([]);
    expect(lastComment(bot)).toContain(refusal);
    expect(lastComment(bot)).toMatch(/^@octocat /);
  });

  it("refuses a config naming a runner this bot does not have before reading the PR or queueing anything, with /train's words", async () => {
    const { bot, job } = await withOriginalJob("runner: cloud-run\n");
    bot.api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 1 }));

    await bot.deliver("check_run", checkRunPayload({ action: "rerequested", jobId: job.id }));

    expect(await bot.engine.store.list({ state: "queued" })).toEqual([]);
    expect(bot.calls.filter((c) => c.path.endsWith("/check-runs") || c.path.endsWith("/pulls/1"))).toEqual([]);
    expect(lastComment(bot)).toMatch(
      /^@octocat The repo config asks for `runner: cloud-run`, which this bot does not have\. Available: `local`[^.]*\. Change `runner` in \.github\/mlops-bot\.yml, or ask the bot's operator to set it up\.$/,
    );
  });

  it("a push to the default branch with train_on_push trains nothing and creates no check run when the configured runner is not on this bot", async () => {
    const dir = tempDir();
    bot = await startBot({ dir, originRoot: path.join(dir, "origin") });
    bot.api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_t"));
    // The pushed head carries the config: it is read there, from git (no contents API call).
    const pushed = commitRepoConfig(bot.originRoot, "train_on_push: true\nrunner: cloud-run\n");

    await bot.deliver("push", pushPayload({ branch: "main", sha: pushed }));

    expect(await bot.engine.store.list({})).toEqual([]);
    expect(bot.calls.map((c) => `${c.method} ${c.path}`)).toEqual(["POST /app/installations/2/access_tokens"]);
  });

  it("re-runs a fork's commit once a maintainer approved that exact commit, and keeps where it came from", async () => {
    const { bot, job } = await withOriginalJob();
    await bot.engine.store.setFact(approvalKey({ owner: OWNER, repo: REPO, pr: 1, sha: SHA }), JSON.stringify({ by: "maintainer", at: new Date().toISOString() }));
    bot.api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    bot.api().get(`${REPO_API}/pulls/1`).reply(200, prNow({ fork: true }));
    bot.api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: 334 }));

    await bot.deliver("check_run", checkRunPayload({ action: "rerequested", jobId: job.id }));

    const [queued] = await bot.engine.store.list({ state: "queued" });
    expect(queued).toMatchObject({ headSha: SHA, checkRunId: 334 });
  });

  it("ignores other checks and other buttons", async () => {
    const dir = tempDir();
    bot = await startBot({ dir, originRoot: dir });
    await bot.deliver("check_run", checkRunPayload({ action: "rerequested", jobId: "x", name: "ci/build" }));
    await bot.deliver("check_run", checkRunPayload({ action: "requested_action", jobId: "x", identifier: "something-else" }));
    expect(bot.calls).toEqual([]);
  });
});
