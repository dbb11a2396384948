import { afterEach, describe, expect, it } from "vitest";
import { approvalKey } from "../../src/commands/check-fork-policy.js";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import { OWNER, REPO, prCommentPayload, pullRequestEventPayload } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { nockCommandIntake, nockInstallationToken } from "../helpers/train-nocks.js";
import * as gh from "../helpers/github-responses.js";

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const base = "ba5e".repeat(10);
const reviewed = "a".repeat(40); // the head the maintainer reviewed
const pushed = "b".repeat(40); // what the fork pushed while the comment was being written
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

async function setup() {
  const dir = tempDir();
  bot = await startBot({ dir, originRoot: dir });
  return bot;
}

let replies = 0;
/**
 * Delivers a comment by octocat (a maintainer unless `role` says otherwise) on PR #1 (a fork's, at
 * `head`) and returns the bot's reply, without the quote of the command it answers. A refused
 * command is answered before the PR is read (`readsPr: false`).
 */
async function comment(b: BotHarness, params: { body: string; commentId: number; head: string; writtenAt?: Date; checkRunId?: number; role?: string; readsPr?: boolean }): Promise<string | undefined> {
  const role = params.role ?? "maintain";
  nockCommandIntake(b, { commentId: params.commentId, head: params.head, base, fork: true, role, pr: params.readsPr ?? true, ...(params.checkRunId ? { checkRunId: params.checkRunId } : {}) });
  if (params.checkRunId === undefined) b.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: ++replies }));
  const before = b.calls.length;
  await b.deliver("issue_comment", prCommentPayload({ body: params.body, commentId: params.commentId, ...(params.writtenAt ? { createdAt: params.writtenAt } : {}) }));
  const reply = b.calls.slice(before).find((c) => c.method === "POST" && c.path === `${REPO_API}/issues/1/comments`);
  const text = (reply?.body as { body: string } | undefined)?.body;
  return text?.replace(/^@octocat\n\n(> .*\n)+\n/, "");
}

/** A `pull_request` event for the fork PR at `head`, at GitHub's time `at` (its data check is queued). */
async function pullRequestEvent(b: BotHarness, params: { action: "opened" | "synchronize"; head: string; at: Date; checkRunId: number }) {
  nockInstallationToken(b);
  commitRepoConfig(b.originRoot, undefined);
  b.api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: params.checkRunId }));
  await b.deliver("pull_request", pullRequestEventPayload({ action: params.action, head: params.head, base, fork: true, updatedAt: params.at }));
}

const approved = async (b: BotHarness, sha: string) => (await b.engine.store.getFact(approvalKey({ owner: OWNER, repo: REPO, pr: 1, sha }))) !== undefined;
const trainJobs = async (b: BotHarness) => (await b.engine.store.list({ kind: "train" })).map((j) => j.headSha);

describe("/ok-to-train approves only a head the maintainer could have seen", () => {
  it("approves the head the bot saw (a pull_request event) before the comment was written", async () => {
    const b = await setup();
    await pullRequestEvent(b, { action: "opened", head: reviewed, at: minutesAgo(10), checkRunId: 1 });
    expect(await comment(b, { body: "/ok-to-train", commentId: 10, head: reviewed, writtenAt: minutesAgo(1) })).toBe(
      `Approved commit \`aaaaaaa\` of \`contributor/${REPO}\` for \`/train\` and \`/build\`. A new push needs a new \`/ok-to-train\`.`,
    );
    expect(await approved(b, reviewed)).toBe(true);
  });

  it("refuses, naming the new sha, when the fork pushed after the comment was written and before the bot handled it", async () => {
    const b = await setup();
    await pullRequestEvent(b, { action: "opened", head: reviewed, at: minutesAgo(10), checkRunId: 1 });
    // The maintainer reviews `reviewed` and writes /ok-to-train; the fork pushes; then the comment reaches the bot.
    await pullRequestEvent(b, { action: "synchronize", head: pushed, at: minutesAgo(0.5), checkRunId: 2 });
    const reply = await comment(b, { body: "/ok-to-train", commentId: 11, head: pushed, writtenAt: minutesAgo(1) });

    expect(reply).toBe(
      `The head of this pull request is now \`bbbbbbb\`, which appeared after your comment was written, so you may not have seen it. Nothing was approved: review it, then comment \`/ok-to-train ${pushed}\`.`,
    );
    expect(await approved(b, pushed)).toBe(false);
    expect(await approved(b, reviewed)).toBe(false); // not the head any more: approving it would run nothing anyway
    expect(await comment(b, { body: "/train", commentId: 12, head: pushed })).toContain("A maintainer must review commit `bbbbbbb` and comment `/ok-to-train`");
    expect(await trainJobs(b)).toEqual([]);

    // A later sighting (the bot's own read) does not move the first one forward: still refused.
    expect(await comment(b, { body: "/ok-to-train", commentId: 13, head: pushed, writtenAt: minutesAgo(0.75) })).toContain("appeared after your comment was written");
    expect(await approved(b, pushed)).toBe(false);
  });

  it("needs maintain by default: a write-level user's approval is refused with the level needed, a maintainer's is taken", async () => {
    const b = await setup();
    await pullRequestEvent(b, { action: "opened", head: reviewed, at: minutesAgo(10), checkRunId: 1 });
    expect(await comment(b, { body: "/ok-to-train", commentId: 50, head: reviewed, writtenAt: minutesAgo(1), role: "write", readsPr: false })).toBe(
      "`/ok-to-train` needs **maintain** permission on this repository; you have **write**. Nothing was run.",
    );
    expect(await approved(b, reviewed)).toBe(false);
    expect(await comment(b, { body: "/ok-to-train", commentId: 51, head: reviewed, writtenAt: minutesAgo(1), role: "maintain" })).toContain("Approved commit `aaaaaaa`");
    expect(await approved(b, reviewed)).toBe(true);
  });

  it("refuses a head the bot first sees while handling the comment (it may have come after it)", async () => {
    const b = await setup();
    expect(await comment(b, { body: "/ok-to-train", commentId: 20, head: pushed, writtenAt: minutesAgo(1) })).toContain(`comment \`/ok-to-train ${pushed}\``);
    expect(await approved(b, pushed)).toBe(false);
  });

  it("/ok-to-train <sha> approves the commit named, by a prefix of the head or any full sha, and /train then runs it", async () => {
    const b = await setup();
    expect(await comment(b, { body: `/ok-to-train ${pushed.slice(0, 9).toUpperCase()}`, commentId: 30, head: pushed, writtenAt: minutesAgo(1) })).toBe(
      `Approved commit \`bbbbbbb\` of \`contributor/${REPO}\` for \`/train\` and \`/build\`. A new push needs a new \`/ok-to-train\`.`,
    );
    expect(await approved(b, pushed)).toBe(true);
    expect(await comment(b, { body: `/ok-to-train ${reviewed}`, commentId: 31, head: pushed })).toBe(
      `Approved commit \`aaaaaaa\` (not the current head, \`bbbbbbb\`) of \`contributor/${REPO}\` for \`/train\` and \`/build\`. A new push needs a new \`/ok-to-train\`.`,
    );
    expect(await approved(b, reviewed)).toBe(true);

    await comment(b, { body: "/train", commentId: 32, head: pushed, checkRunId: 321 });
    expect(await trainJobs(b)).toEqual([pushed]);
  });

  it.each([
    [`/ok-to-train ${"c".repeat(7)}`, "`ccccccc` is not the head of this pull request (`bbbbbbb`); name another commit by its full 40-character sha. Nothing was approved."],
    ["/ok-to-train main", "That is not a commit sha (7 to 40 hexadecimal characters). Nothing was approved."],
    ["/ok-to-train ../../etc/passwd", "That is not a commit sha (7 to 40 hexadecimal characters). Nothing was approved."],
    [`/ok-to-train ${pushed} ${reviewed}`, "Name one commit only (`/ok-to-train` and one sha). Nothing was approved."],
  ])("refuses %s and approves nothing", async (body, refusal) => {
    const b = await setup();
    expect(await comment(b, { body, commentId: 40, head: pushed })).toBe(refusal);
    expect(await approved(b, pushed)).toBe(false);
    expect(await approved(b, reviewed)).toBe(false);
  });
});
