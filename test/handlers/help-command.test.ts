import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { createEngine } from "../../src/create-engine.js";
import { createApp } from "../../src/index.js";
import { loadServerConfig } from "../../src/config/server-config.js";
import { API, REPO_PATH, nockInstallationToken, nockPermission } from "../helpers/github-nock.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { OWNER, REPO, issueCommentPayload, prCommentPayload } from "../helpers/payloads.js";
import { testProbot } from "../helpers/test-probot.js";
import { tempDir } from "../helpers/temp-dir.js";
import { sharedParser } from "../helpers/shared-parser.js";
import { commitFiles, initRepo } from "../helpers/git-repo.js";
import path from "node:path";
import type { Probot } from "probot";
import * as gh from "../helpers/github-responses.js";

let probot: Probot;
let store: SqliteJobStore;
/** Where the test's "GitHub" repositories live: the bot reads the config from git there (the webhook's clone_url). */
let originRoot: string;

beforeEach(() => {
  const dir = tempDir();
  originRoot = path.join(dir, "origin");
  probot = testProbot();
  store = new SqliteJobStore(path.join(dir, "jobs.sqlite"));
  const server = loadServerConfig({ MLOPS_DATA_DIR: dir });
  void probot.load(createApp(createEngine(server, { botEnv: {}, store, parser: sharedParser(server) })));
});

function deliver(payload: unknown, id = "delivery-1") {
  // GitHub's clone_url, made local: the test's origin (a test that gives its own keeps it).
  const repository = (payload as { repository: { clone_url: string } }).repository;
  if (repository.clone_url.startsWith("https://")) repository.clone_url = path.join(originRoot, OWNER, REPO);
  return probot.receive({ id, name: "issue_comment", payload: payload as never });
}

describe("slash commands end to end", () => {
  it("answers /help with 👀 and one reply listing the commands", async () => {
    const bodies: unknown[] = [];
    nockInstallationToken();
    const reaction = nock(API)
      .post(`${REPO_PATH}/issues/comments/5001/reactions`, (b) => (bodies.push(b), true))
      .reply(201, gh.reaction("eyes"));
    commitRepoConfig(originRoot, undefined);
    const reply = nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b) => (bodies.push(b), true))
      .reply(201, gh.issueComment({ id: 9001 }));

    await deliver(prCommentPayload({ body: "Can you do this?\n/help", commentId: 5001 }));

    expect(reaction.isDone() && reply.isDone()).toBe(true);
    expect(bodies[0]).toEqual({ content: "eyes" });
    const body = (bodies[1] as { body: string }).body;
    expect(body).toMatch(/^@octocat\n\n> \/help\n\n\*\*mlops-bot commands\*\*/);
    expect(body).toContain("| `/train [key=value ...]` | train the model at this PR's head commit");
    expect(body).toContain("| `/build [image ...]` | build and push the configured images from this PR's head commit _(not enabled here)_ | maintain |");
  });

  it("does nothing twice when GitHub redelivers the same comment", async () => {
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/5002/reactions`).once().reply(201, gh.reaction());
    commitRepoConfig(originRoot, undefined);
    nock(API).post(`${REPO_PATH}/issues/1/comments`).once().reply(201, gh.issueComment({ id: 1 }));

    const payload = prCommentPayload({ body: "/help", commentId: 5002 });
    await deliver(payload, "delivery-a");
    await deliver(payload, "delivery-b"); // any second API call would fail: no scope left for it
  });

  it("ignores comments by bots and comments on plain issues", async () => {
    await deliver(prCommentPayload({ body: "/help", userType: "Bot", author: "mlops-bot[bot]" }));
    await deliver(issueCommentPayload("/help"));
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("answers an unknown command and a usage error with the help text", async () => {
    let reply = "";
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/5003/reactions`).reply(201, gh.reaction());
    commitRepoConfig(originRoot, undefined);
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true))
      .reply(201, gh.issueComment({ id: 1 }));

    await deliver(prCommentPayload({ body: "/release prod\n/help please", commentId: 5003 }));

    expect(reply).toContain("> /release prod\n\n`/release` is not a command I know.\n\n<details><summary>Commands</summary>");
    expect(reply).toContain("> /help please\n\n`/help` takes no argument `please`. Usage: `/help`.");
  });

  it("answers a command that is not enabled yet instead of staying silent", async () => {
    let reply = "";
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/5004/reactions`).reply(201, gh.reaction());
    commitRepoConfig(originRoot, undefined);
    nockPermission("octocat", "admin");
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true))
      .reply(201, gh.issueComment({ id: 1 }));

    await deliver(prCommentPayload({ body: "/build", commentId: 5004 }));

    expect(reply).toBe("@octocat\n\n> /build\n\n`/build` is not enabled on this installation, so nothing was run. Comment `/help` for the commands that are.");
  });

  it("answers an invalid config with the file, the line and what to change, and runs nothing", async () => {
    let reply = "";
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/5005/reactions`).reply(201, gh.reaction());
    commitRepoConfig(originRoot, "runner: kubernetes\n");
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true))
      .reply(201, gh.issueComment({ id: 1 }));

    await deliver(prCommentPayload({ body: "/help", commentId: 5005 }));

    expect(reply).toBe(
      [
        "@octocat",
        "",
        "The bot's configuration is invalid, so nothing was run:",
        "",
        '- .github/mlops-bot.yml:1:9: Invalid option: expected one of "local"|"docker"|"cloud-run" (at `runner`).',
      ].join("\n"),
    );
  });

  it("reads the pull request once per comment and checks every command's preconditions before dispatch", async () => {
    let reply = "";
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/5101/reactions`).reply(201, gh.reaction("eyes"));
    commitRepoConfig(originRoot, undefined);
    nockPermission("octocat", "admin");
    // One answer only: a second read of the PR would find no answer and fail its command.
    nock(API).get(`${REPO_PATH}/pulls/1`).reply(200, gh.pullRequest({ number: 1, head: "c0ffee", base: "ba5e", fork: false, state: "closed" }));
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true))
      .reply(201, gh.issueComment({ id: 9101 }));
    await deliver(prCommentPayload({ body: "/train\n/diff\n/build", commentId: 5101 }), "delivery-5101");
    expect(reply).toContain("This pull request is closed, so nothing was trained.");
    expect(reply).toContain("This pull request is closed, so its data was not compared.");
    expect(reply).not.toContain("failed on the bot's side");
  });

  it("reads the PR head from the repository's clone_url in the webhook when MLOPS_CLONE_URL is not set (an Enterprise Server needs nothing set)", async () => {
    const origin = initRepo(path.join(tempDir(), "ghes", "Hello-World"));
    const head = commitFiles(origin, { "ml/params.yaml": "train:\n  seed: 1\n" }, "params");
    let reply = "";
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/5301/reactions`).reply(201, gh.reaction("eyes"));
    // The config too is read from that clone_url (its default branch has none: every default).
    nockPermission("octocat", "write");
    nock(API).get(`${REPO_PATH}/pulls/1`).reply(200, gh.pullRequest({ number: 1, head, base: head }));
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true))
      .reply(201, gh.issueComment({ id: 9301 }));
    const payload = prCommentPayload({ body: "/train train.sede=2", commentId: 5301 });
    payload.repository.clone_url = origin;
    await deliver(payload, "delivery-5301");
    // The params file was read at the head, from the payload's clone_url: the override is checked against it.
    expect(reply).toContain("- `train.sede` is not a parameter in `ml/params.yaml`.\n- Valid keys: `train.seed`.");
  });

  it("answers /train at once when the configured runner is not on this bot, and queues nothing", async () => {
    let reply = "";
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/5201/reactions`).reply(201, gh.reaction("eyes"));
    commitRepoConfig(originRoot, "runner: cloud-run\n");
    nockPermission("octocat", "write");
    nock(API).get(`${REPO_PATH}/pulls/1`).reply(200, gh.pullRequest({ number: 1, head: "c0ffee", base: "ba5e" }));
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true))
      .reply(201, gh.issueComment({ id: 9201 }));
    await deliver(prCommentPayload({ body: "/train", commentId: 5201 }), "delivery-5201");
    expect(reply).toBe(
      "@octocat\n\n> /train\n\nThe repo config asks for `runner: cloud-run`, which this bot does not have. Available: `local`. Change `runner` in .github/mlops-bot.yml, or ask the bot's operator to set it up.",
    );
    // No job and no check run: a queued check would have needed an answer from GitHub's fake.
    expect(await store.list({})).toEqual([]);
  });
});
