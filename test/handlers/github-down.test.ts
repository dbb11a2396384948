import nock from "nock";
import pino from "pino";
import { GitHubCodeHost } from "../../src/adapters/github/github-code-host.js";
import { GcsJobStore } from "../../src/adapters/stores/gcs-job-store.js";
import { flushOutbox } from "../../src/jobs/deliver-outbox.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobStore } from "../../src/ports/job-store.js";
import type { Outbox } from "../../src/ports/outbox.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { REPO_API, startBot, type BotHarness } from "../helpers/bot-harness.js";
import { API } from "../helpers/github-nock.js";
import * as gh from "../helpers/github-responses.js";
import { INSTALLATION_ID, prCommentPayload } from "../helpers/payloads.js";
import { gcsEmulator } from "../helpers/gcs-emulator.js";
import { tempDir } from "../helpers/temp-dir.js";
import { nockCommandIntake, pullRequestPayload, waitFor } from "../helpers/train-nocks.js";

// Commands are answered exactly once whatever GitHub does meanwhile: an answer is stored before
// anything counts as handled, and what GitHub does not take is retried from the store's outbox.
// Run on the embedded SQLite store and on the Cloud Storage store (fake-gcs-server), whose
// outbox has no transactions.
const gcs = gcsEmulator();
const stores: Array<{ name: string; open: (location: string) => JobStore | undefined }> = [
  { name: "SQLite", open: () => undefined },
  ...(gcs ? [{ name: "Cloud Storage", open: (url: string) => GcsJobStore.fromUrl(url, { apiEndpoint: gcs.endpoint }) }] : []),
];

let dir: string;
let bot: BotHarness;
let location: string;
let openStore: (location: string) => JobStore | undefined;

/** The bot on this test's store: the same data after a restart. */
function start(): Promise<BotHarness> {
  const store = openStore(location);
  return startBot({ dir, originRoot: dir, ...(store ? { store } : {}) });
}

afterEach(async () => {
  await bot.stop();
  nock.cleanAll();
});

const outbox = (): Outbox => bot.engine.store.outbox!;
const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);

/** Every GitHub API call answers 502, as during an outage. */
function githubDown(): void {
  for (const method of ["get", "post", "patch", "put", "delete"] as const) nock(API)[method](/.*/).reply(502, gh.githubError(502, "Server Error")).persist();
}

/** The outage ends: the token exchange works again (the other calls each test fakes). */
function githubBack(): void {
  nock.cleanAll();
  bot.api().post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, gh.installationToken()).persist();
}

/** Delivers what waits in the outbox as a worker would (for a test whose worker must not run jobs). */
async function drainOutbox(): Promise<void> {
  const hostFor = async (repo: { owner: string; name: string; installationId: number }) =>
    new GitHubCodeHost((await bot.probot.auth(repo.installationId)), repo.owner, repo.name, () => Promise.resolve("mlops-bot[bot]"));
  await waitFor(async () => {
    await flushOutbox({ outbox: outbox(), hostFor, log: pino({ level: "silent" }), worker: "test" });
    return (await outbox().pending()).length === 0;
  }, 30_000);
}

/** Replies and reactions the bot posted on the PR and the comment. */
function writes(commentId: number) {
  return {
    reactions: bot.calls.filter((c) => c.method === "POST" && c.path === `${REPO_API}/issues/comments/${commentId}/reactions`),
    replies: bot.calls.filter((c) => c.method === "POST" && c.path === `${REPO_API}/issues/1/comments`),
  };
}

describe.each(stores)("GitHub down while a command comes in ($name store)", ({ open }) => {
  beforeEach(async () => {
    dir = tempDir();
    location = gcs ? gcs.url("github-down") : dir;
    openStore = open;
    bot = await start();
  });

  it("answers a /help that came during an outage exactly once: the delivery fails, the 👀 waits in the outbox, the redelivery answers", async () => {
    githubDown();
    const payload = prCommentPayload({ body: "/help", commentId: 6001 });
    await expect(bot.deliver("issue_comment", payload, "d-1")).rejects.toThrow(); // GitHub sees a failed delivery
    expect((await outbox().pending()).map((m) => [m.key, m.attempts])).toEqual([["react:6001:eyes", 1]]);

    githubBack();
    bot.api().post(`${REPO_API}/issues/comments/6001/reactions`, { content: "eyes" }).reply(201, gh.reaction("eyes"));
    commitRepoConfig(bot.originRoot, undefined); // no config on the default branch (read with git)
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 9101 }));
    await bot.worker.start(); // the worker delivers the 👀 once it is due again
    await waitFor(async () => (await outbox().pending()).length === 0, 30_000);
    await bot.deliver("issue_comment", payload, "d-1"); // the redelivery: nothing of it counted as handled
    await bot.deliver("issue_comment", payload, "d-1"); // and once more: nothing left to do, no call

    const { reactions, replies } = writes(6001);
    expect(reactions).toHaveLength(1);
    expect(replies).toHaveLength(1);
    expect((replies[0]!.body as { body: string }).body).toContain("**mlops-bot commands**");
    expect(nock.pendingMocks()).toEqual([]);
    expect(await outbox().pending()).toEqual([]);
  });

  it("stores the answer when GitHub takes reads but refuses writes, and delivers it once after the bot restarts", async () => {
    bot.api().post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, gh.installationToken()).persist();
    bot.api().post(`${REPO_API}/issues/comments/6002/reactions`).reply(503, gh.githubError(503)).persist();
    commitRepoConfig(bot.originRoot, undefined); // no config on the default branch (read with git)
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(502, gh.githubError(502)).persist();
    const payload = prCommentPayload({ body: "/help", commentId: 6002 });
    await bot.deliver("issue_comment", payload, "d-2"); // handled: its answer is stored
    const before = bot.calls.length;
    await bot.deliver("issue_comment", payload, "d-2"); // a redelivery does nothing more
    expect(bot.calls.length).toBe(before);
    expect((await outbox().pending()).map((m) => [m.action.type, m.attempts])).toEqual([
      ["react", 1],
      ["comment", 1],
    ]);

    // A restart on the same data: the new process delivers what the old one could not.
    await bot.stop();
    nock.cleanAll();
    bot = await start();
    bot.api().post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, gh.installationToken()).persist();
    bot.api().post(`${REPO_API}/issues/comments/6002/reactions`, { content: "eyes" }).reply(201, gh.reaction("eyes"));
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 9102 }));
    await bot.worker.start();
    await waitFor(async () => (await outbox().pending()).length === 0, 30_000);
    await bot.deliver("issue_comment", payload, "d-2");

    const { reactions, replies } = writes(6002);
    expect(reactions).toHaveLength(1);
    expect(replies).toHaveLength(1);
    expect((replies[0]!.body as { body: string }).body).toMatch(/^@octocat\n\n> \/help\n\n\*\*mlops-bot commands\*\*/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("queues one /train and one check run when the first delivery came during an outage", async () => {
    githubDown();
    const payload = prCommentPayload({ body: "/train", commentId: 6003 });
    await expect(bot.deliver("issue_comment", payload, "d-3")).rejects.toThrow();
    expect(await bot.engine.store.list({})).toEqual([]);

    nock.cleanAll(); // back: the intake's calls, its token exchange too
    nockCommandIntake(bot, { commentId: 6003, head: HEAD, base: BASE, checkRunId: 8801 });
    await bot.deliver("issue_comment", payload, "d-3");
    await bot.deliver("issue_comment", payload, "d-3");
    await drainOutbox(); // the 👀 of the first delivery, due again

    const jobs = await bot.engine.store.list({});
    expect(jobs.map((j) => [j.kind, j.headSha, j.checkRunId])).toEqual([["train", HEAD, 8801]]);
    expect(bot.calls.filter((c) => c.method === "POST" && c.path === `${REPO_API}/check-runs`)).toHaveLength(1);
    expect(writes(6003).reactions).toHaveLength(1);
    expect(writes(6003).replies).toHaveLength(0); // /train answers with its check run
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("gives up an answer GitHub refuses for good (the comment was deleted), and says nothing twice", async () => {
    bot.api().post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, gh.installationToken()).persist();
    bot.api().post(`${REPO_API}/issues/comments/6004/reactions`).reply(404, gh.githubError(404));
    commitRepoConfig(bot.originRoot, undefined); // no config on the default branch (read with git)
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 9104 }));
    await bot.deliver("issue_comment", prCommentPayload({ body: "/help", commentId: 6004 }), "d-4");
    expect(await outbox().pending()).toEqual([]);
    expect(writes(6004).replies).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("says a command that failed for good failed, and runs it again on a redelivery", async () => {
    bot.api().post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, gh.installationToken()).persist();
    bot.api().post(`${REPO_API}/issues/comments/6005/reactions`, { content: "eyes" }).reply(201, gh.reaction("eyes"));
    commitRepoConfig(bot.originRoot, undefined); // no config on the default branch (read with git)
    bot.api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    bot.api().get(`${REPO_API}/pulls/1`).reply(404, gh.githubError(404)); // GitHub refuses: waiting would not help
    bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 9105 }));
    const payload = prCommentPayload({ body: "/train", commentId: 6005 });
    await bot.deliver("issue_comment", payload, "d-5");
    expect((writes(6005).replies[0]!.body as { body: string }).body).toContain("`/train` failed on the bot's side (HttpError); nothing was lost. Comment it again to retry.");

    // The redelivery: the same intake, the pull request readable now; its 👀 is stored already.
    commitRepoConfig(bot.originRoot, undefined); // no config on the default branch (read with git)
    bot.api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write"));
    bot.api().get(`${REPO_API}/pulls/1`).reply(200, pullRequestPayload({ head: HEAD, base: BASE }));
    bot.api().post(`${REPO_API}/check-runs`).reply(201, gh.checkRun({ id: 8805, headSha: HEAD }));
    await bot.deliver("issue_comment", payload, "d-5");
    expect((await bot.engine.store.list({})).map((j) => j.checkRunId)).toEqual([8805]);
    expect(writes(6005).reactions).toHaveLength(1); // the 👀 was delivered once, the first time
    expect(nock.pendingMocks()).toEqual([]);
  });
});
