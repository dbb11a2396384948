import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { checkRunPayload } from "../helpers/payloads.js";
import { jobOfKind } from "../helpers/job-of-kind.js";
import { newJob, newTrainInput } from "../helpers/new-job.js";
import { tempDir } from "../helpers/temp-dir.js";
import * as gh from "../helpers/github-responses.js";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function withOriginalJob() {
  const dir = tempDir();
  bot = await startBot({ dir, originRoot: path.join(dir, "origin") });
  const { job } = await bot.engine.store.enqueue(
    newJob({ repo: { owner: "Codertocat", name: "Hello-World", installationId: 2 }, group: "Codertocat/Hello-World#1:train", input: newTrainInput([{ file: "ml/params.yaml", key: "train.seed", path: ["train", "seed"], type: "int", value: 7, literal: "7" }]) }),
  );
  await bot.engine.store.transition(job.id, "queued", "cancelled", { reason: "test" });
  await bot.engine.store.update(job.id, { reported: true });
  bot.api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_t"));
  bot.api().get(`${REPO_API}/contents/.github%2Fmlops-bot.yml`).reply(404, gh.githubError(404));
  return { bot, job };
}

describe("re-running a train check", () => {
  it.each([
    ["rerequested", undefined],
    ["requested_action", "train-again"],
  ] as const)("%s queues the same commit and overrides again, with a new queued check run", async (action, identifier) => {
    const { bot, job } = await withOriginalJob();
    bot.api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
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

  it("ignores other checks and other buttons", async () => {
    const dir = tempDir();
    bot = await startBot({ dir, originRoot: dir });
    await bot.deliver("check_run", checkRunPayload({ action: "rerequested", jobId: "x", name: "ci/build" }));
    await bot.deliver("check_run", checkRunPayload({ action: "requested_action", jobId: "x", identifier: "something-else" }));
    expect(bot.calls).toEqual([]);
  });
});
