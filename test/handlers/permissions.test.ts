import path from "node:path";
import nock from "nock";
import type { Probot } from "probot";
import { beforeEach, describe, expect, it } from "vitest";
import { GitSourceProvider } from "../../src/adapters/source/git-source-provider.js";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { createEngine } from "../../src/create-engine.js";
import { loadServerConfig } from "../../src/config/server-config.js";
import { createApp } from "../../src/index.js";
import { API, REPO_PATH, nockInstallationToken, nockPermission } from "../helpers/github-nock.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { OWNER, REPO, prCommentPayload } from "../helpers/payloads.js";
import { commitFiles, git } from "../helpers/git-repo.js";
import { sharedParser } from "../helpers/shared-parser.js";
import { tempDir } from "../helpers/temp-dir.js";
import { testProbot } from "../helpers/test-probot.js";
import * as gh from "../helpers/github-responses.js";

let probot: Probot;
let commentId = 7000;

/** The test's "GitHub" repositories: the bot reads its config from their default branch with git. */
let originRoot: string;
/** The bot's data folder (its git mirrors are under `sources/`). */
let dataDir: string;

beforeEach(() => {
  const dir = tempDir();
  dataDir = dir;
  originRoot = path.join(dir, "origin");
  probot = testProbot();
  const server = loadServerConfig({ MLOPS_DATA_DIR: dir, MLOPS_CLONE_URL: path.join(originRoot, "{owner}", "{repo}") });
  void probot.load(createApp(createEngine(server, { botEnv: {}, store: new SqliteJobStore(path.join(dir, "jobs.sqlite")), parser: sharedParser(server) })));
});

/** Comments `/cancel` and `/build` as a user with `role`; returns the bot's reply. A test's later comments use Probot's cached token. */
async function replyFor(role: string, config?: string, tokenCached = false): Promise<string> {
  const id = ++commentId;
  let reply = "";
  if (!tokenCached) nockInstallationToken();
  nock(API).post(`${REPO_PATH}/issues/comments/${id}/reactions`).reply(201, gh.reaction());
  commitRepoConfig(originRoot, config);
  nockPermission("dev", role); // asked once per comment, however many commands it holds
  nock(API)
    .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true))
    .reply(201, gh.issueComment({ id: 1 }));
  await probot.receive({ id: `d-${id}`, name: "issue_comment", payload: prCommentPayload({ body: "/cancel\n/build", author: "dev", commentId: id }) as never });
  return reply;
}

const refused = (command: string, needs: string, has: string) =>
  `\`/${command}\` needs **${needs}** permission on this repository; you have **${has}**. Nothing was run.`;
// Allowed commands answer as they do without a job to act on (/cancel) or without a Docker engine (/build).
const allowed = (command: string) =>
  command === "cancel" ? "There is no queued or running training job on this pull request to cancel." : `\`/${command}\` is not enabled on this installation`;

describe("permission per command (defaults: /cancel write, /build maintain)", () => {
  it.each([
    ["read", false, false],
    ["triage", false, false],
    ["write", true, false],
    ["maintain", true, true],
    ["admin", true, true],
  ])("a user with %s: /cancel allowed=%s, /build allowed=%s", async (role, cancelAllowed, buildAllowed) => {
    const reply = await replyFor(role);
    expect(reply).toContain(cancelAllowed ? allowed("cancel") : refused("cancel", "write", role));
    expect(reply).toContain(buildAllowed ? allowed("build") : refused("build", "maintain", role));
  });

  it("follows the permissions in the repo config", async () => {
    const reply = await replyFor("write", "permissions:\n  cancel: admin\n  build: write\n");
    expect(reply).toContain(refused("cancel", "admin", "write"));
    expect(reply).toContain(allowed("build"));
  });

  it("follows the default branch's config, never the pull request's, and sees the default branch change at the next comment", async () => {
    const main = commitRepoConfig(originRoot, "permissions:\n  cancel: admin\n");
    // The pull request's head lowers the bar; GitHub has it as refs/pull/1/head, and the bot's mirror fetched it.
    const origin = path.join(originRoot, OWNER, REPO);
    git(origin, "checkout", "-q", "-b", "pr");
    const prHead = commitFiles(origin, { ".github/mlops-bot.yml": "permissions:\n  cancel: read\n  build: read\n" }, "lower the bar");
    git(origin, "checkout", "-q", "main");
    git(origin, "branch", "-q", "-D", "pr");
    git(origin, "update-ref", "refs/pull/1/head", prHead);
    const mirror = new GitSourceProvider({ root: path.join(dataDir, "sources"), cloneUrl: path.join(originRoot, "{owner}", "{repo}") });
    await mirror.readCommits({ repo: { owner: OWNER, name: REPO }, shas: [prHead] });
    const reply = await replyFor("write", "permissions:\n  cancel: admin\n");
    expect(git(origin, "rev-parse", "main")).toBe(main);
    expect(reply).toContain(refused("cancel", "admin", "write"));
    expect(reply).toContain(refused("build", "maintain", "write"));
    // A maintainer lowers it on the default branch: the next comment follows, with no cache in between.
    const next = await replyFor("write", "permissions:\n  cancel: write\n", true);
    expect(next).toContain(allowed("cancel"));
  });

  it("treats a user GitHub does not know as having no permission", async () => {
    const id = ++commentId;
    let reply = "";
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/${id}/reactions`).reply(201, gh.reaction());
    commitRepoConfig(originRoot, undefined);
    nock(API).get(`${REPO_PATH}/collaborators/stranger/permission`).reply(404, gh.githubError(404));
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true))
      .reply(201, gh.issueComment({ id: 1 }));
    await probot.receive({ id: "d", name: "issue_comment", payload: prCommentPayload({ body: "/cancel", author: "stranger", commentId: id }) as never });
    expect(reply).toContain(refused("cancel", "write", "none"));
  });

  it("ignores bots, whatever their permission", async () => {
    await probot.receive({
      id: "d-bot",
      name: "issue_comment",
      payload: prCommentPayload({ body: "/cancel", author: "dependabot[bot]", userType: "Bot" }) as never,
    });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
