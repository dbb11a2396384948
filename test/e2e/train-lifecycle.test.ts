import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { makeExampleOrigin } from "../helpers/example-repo.js";
import { jobOfKind } from "../helpers/job-of-kind.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { trainResultOf } from "../helpers/job-of-kind.js";
import { tempDir } from "../helpers/temp-dir.js";
import { formatMoney } from "../../src/report/costs/format-money.js";
import { finalCheckUpdate, nockCommandIntake, nockJobEnd, waitFor } from "../helpers/train-nocks.js";
import * as gh from "../helpers/github-responses.js";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function setup(change: Record<string, string> = { "train.n_estimators": "40" }, env?: Record<string, string>) {
  const dir = tempDir();
  const originRoot = path.join(dir, "origin");
  const origin = path.join(originRoot, OWNER, REPO);
  const { base, head } = makeExampleOrigin({ dir: origin, change });
  bot = await startBot({ dir, originRoot, ...(env ? { env } : {}) });
  return { bot, base, head, origin, dir, originRoot };
}

const reply = (b: BotHarness) => (b.calls.filter((c) => c.method === "POST" && c.path === `${REPO_API}/issues/1/comments`).at(-1)?.body as { body: string } | undefined)?.body;

describe("/train: what can go wrong", () => {
  it("refuses a bad override with the valid keys, and queues nothing", async () => {
    const { bot, base, head } = await setup();
    nockCommandIntake(bot, { commentId: 1, head, base });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 1 }));

    await bot.deliver("issue_comment", prCommentPayload({ body: "/train lr=0.1 train.n_estimators=many", commentId: 1 }));

    expect(await bot.engine.store.list({})).toEqual([]);
    const body = reply(bot)!;
    expect(body).toContain("Nothing was run: some overrides are not valid.");
    expect(body).toContain("- `lr` is not a parameter in `ml/params.yaml`.");
    expect(body).toMatch(/- `train\.n_estimators` is an integer in `ml\/params\.yaml` \(line \d+\); `many` is not \(write e\.g\. `200`\)\./);
    expect(body).toContain("Valid keys: `data.n_samples`");
  });

  it("refuses overrides against a params file too large to parse at the head, naming the file and the limit, and queues nothing", async () => {
    const dir = tempDir();
    const originRoot = path.join(dir, "origin");
    const huge = `train:\n  n_estimators: 100\n${"# padding\n".repeat(200_000)}`;
    const { base, head } = makeExampleOrigin({ dir: path.join(originRoot, OWNER, REPO), extraHeadFiles: { "ml/params.yaml": huge } });
    bot = await startBot({ dir, originRoot });
    nockCommandIntake(bot, { commentId: 11, head, base });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 1 }));

    await bot.deliver("issue_comment", prCommentPayload({ body: "/train train.n_estimators=5", commentId: 11 }));

    expect(await bot.engine.store.list({})).toEqual([]);
    expect(reply(bot)).toContain(`\`ml/params.yaml\` is ${Buffer.byteLength(huge)} bytes at \`${head.slice(0, 7)}\`, over the 1048576-byte limit for params files`);
  });

  it("creates one job when GitHub redelivers the same comment", async () => {
    const { bot, base, head } = await setup();
    nockCommandIntake(bot, { commentId: 2, head, base, checkRunId: 21 });
    const payload = prCommentPayload({ body: "/train", commentId: 2 });
    await bot.deliver("issue_comment", payload, "same-delivery");
    await bot.deliver("issue_comment", payload, "same-delivery");
    expect(await bot.engine.store.list({})).toHaveLength(1);
    await bot.engine.store.close();
  });

  it("fails the check with the failing stage's last log lines when the pipeline fails", async () => {
    const { bot, base, head } = await setup();
    nockCommandIntake(bot, { commentId: 3, head, base, checkRunId: 31 });
    nockJobEnd(bot, { checkRunId: 31, commentId: 3, reaction: "confused" });

    await bot.deliver("issue_comment", prCommentPayload({ body: "/train train.model=no_such_model", commentId: 3 }));
    await bot.worker.start();
    await bot.worker.idle();

    const [job] = await bot.engine.store.list({});
    expect(job).toMatchObject({ state: "failed", reason: "The pipeline failed in stage `train`." });
    const end = finalCheckUpdate(bot, 31);
    expect(end.conclusion).toBe("failure");
    expect(end.output.title).toBe("Pipeline failed in stage 'train'");
    expect(end.output.summary).toContain("The pipeline failed in stage `train`. Its last lines:");
    expect(end.output.summary).toMatch(/no_such_model/);
    expect(end.output.summary.split("```")[1]!.trim().split("\n").length).toBeLessThanOrEqual(25);
  }, 120_000); // the real pipeline: slow on a loaded machine

  it("ends as timed_out when the pipeline runs past pipeline.timeout", async () => {
    const { bot, base, head } = await setup();
    nockCommandIntake(bot, { commentId: 4, head, base, checkRunId: 41, config: "pipeline:\n  timeout: 2s\n" });
    nockJobEnd(bot, { checkRunId: 41, commentId: 4, reaction: "confused" });

    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 4 }));
    await bot.worker.start();
    await bot.worker.idle();

    expect((await bot.engine.store.list({}))[0]).toMatchObject({ state: "timed_out" });
    const end = finalCheckUpdate(bot, 41);
    expect(end.conclusion).toBe("timed_out");
    expect(end.output.title).toMatch(/^Timed out after \d+ s$/);
    expect(end.output.summary).toContain("The pipeline ran longer than `pipeline.timeout` (2 s) and was stopped.");
  });

  it("/cancel stops the running job and the check ends as cancelled", async () => {
    const { bot, base, head } = await setup();
    nockCommandIntake(bot, { commentId: 5, head, base, checkRunId: 51 });
    nockJobEnd(bot, { checkRunId: 51 });
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 5 }));
    await bot.worker.start();
    const [job] = await bot.engine.store.list({});
    await waitFor(async () => (await bot.engine.store.get(job!.id))?.state === "running");
    await waitFor(async () => ((await bot.engine.artifacts.get(`jobs/${job!.id}/log.txt`))?.length ?? 0) > 0);

    nockCommandIntake(bot, { commentId: 6, head, base, pr: false });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 2 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/cancel", commentId: 6 }));
    expect(reply(bot)).toContain("Cancelling 1 running training job; the check run will say when it has stopped.");
    await bot.worker.idle();

    expect(await bot.engine.store.get(job!.id)).toMatchObject({ state: "cancelled", reason: "Cancelled by @octocat." });
    const end = finalCheckUpdate(bot, 51);
    expect(end.conclusion).toBe("cancelled");
    expect(end.output.title).toBe("Cancelled: Cancelled by @octocat");
  });

  it("a newer /train supersedes the running one, which ends cancelled; the newer one reports, with the PR's cost of both", async () => {
    // The local runner priced like a machine rented by the hour, so both runs cost something.
    const { bot, base, head } = await setup(undefined, { MLOPS_PRICES: JSON.stringify({ local: { vcpu_hour: 0.5, gib_hour: 0.1 } }) });
    nockCommandIntake(bot, { commentId: 7, head, base, checkRunId: 71 });
    bot.api().patch(`${REPO_API}/check-runs/71`).reply(200, gh.checkRun({ id: 71 })).persist();
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 7 }));
    await bot.worker.start();
    const [first] = await bot.engine.store.list({});
    await waitFor(async () => (await bot.engine.store.get(first!.id))?.state === "running");

    nockCommandIntake(bot, { commentId: 8, head, base, checkRunId: 72 });
    bot.api().patch(`${REPO_API}/check-runs/72`).reply(200, gh.checkRun({ id: 72 })).persist();
    bot.api().get(`${REPO_API}/issues/1/comments`).query(true).reply(200, []);
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 4242 }));
    bot.api().patch(`${REPO_API}/issues/comments/4242`).reply(200, gh.issueComment({ id: 4242 }));
    bot.api().post(`${REPO_API}/issues/comments/8/reactions`, { content: "rocket" }).reply(201, gh.reaction("rocket"));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 8 }));
    await bot.worker.idle();

    const jobs = await bot.engine.store.list({});
    expect(jobs.map((j) => j.state)).toEqual(["cancelled", "succeeded"]);
    expect(jobs[0]!.reason).toBe(`Superseded by a newer \`/train\` from @octocat (${head.slice(0, 7)}).`);
    expect(finalCheckUpdate(bot, 71).conclusion).toBe("cancelled");
    expect(finalCheckUpdate(bot, 72).conclusion).toBe("success");

    // Each run's cost is its wall time on the whole host (the local runner sets no limits) at those prices; the PR's is both.
    const [cancelled, succeeded] = jobs.map((j) => trainResultOf(j));
    for (const result of [cancelled!, succeeded!]) {
      expect(result.resources).toMatchObject({ runner: "local", basis: "host", wallMs: result.durationMs, gpu: null });
      const { vcpu, memoryGiB } = result.resources!;
      expect(result.cost?.amount).toBeCloseTo((result.durationMs / 3_600_000) * (vcpu * 0.5 + memoryGiB * 0.1), 12);
    }
    const total = formatMoney(cancelled!.cost!.amount + succeeded!.cost!.amount, "USD");
    expect(finalCheckUpdate(bot, 72).output.summary).toContain(`; this pull request so far: **${total}** over 2 runs.`);
    const sticky = bot.calls.filter((c) => (c.method === "POST" && c.path === `${REPO_API}/issues/1/comments`) || (c.method === "PATCH" && c.path === `${REPO_API}/issues/comments/4242`)).at(-1);
    expect((sticky?.body as { body: string }).body).toContain(`, ${total} for this PR's 2 runs.`);
  }, 180_000); // the real pipeline, twice: slow on a loaded machine

  it("refuses a fork PR until a maintainer approves its exact head commit", async () => {
    const { bot, base, head } = await setup();
    nockCommandIntake(bot, { commentId: 9, head, base, fork: true });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 1 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 9 }));
    expect(reply(bot)).toContain(`A maintainer must review commit \`${head.slice(0, 7)}\` and comment \`/ok-to-train\``);
    expect(await bot.engine.store.list({})).toEqual([]);

    nockCommandIntake(bot, { commentId: 10, head, base, fork: true, role: "maintain" });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 2 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/ok-to-train", commentId: 10 }));
    expect(reply(bot)).toContain(`Approved commit \`${head.slice(0, 7)}\` of \`contributor/${REPO}\``);

    nockCommandIntake(bot, { commentId: 11, head, base, fork: true, checkRunId: 111 });
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 11 }));
    const queued = await bot.engine.store.list({});
    expect(queued).toHaveLength(1);
    expect(jobOfKind(queued[0], "train").input.headRepo).toBe(`contributor/${REPO}`); // so it never serves as a baseline

    // A new push is a new head: the approval does not carry over.
    const newHead = "f".repeat(40);
    nockCommandIntake(bot, { commentId: 12, head: newHead, base, fork: true });
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 3 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/train", commentId: 12 }));
    expect(reply(bot)).toContain("A maintainer must review commit `fffffff`");
    expect(await bot.engine.store.list({})).toHaveLength(1);
  });
});
