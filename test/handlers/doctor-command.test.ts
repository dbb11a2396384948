import path from "node:path";
import nock from "nock";
import type { Probot } from "probot";
import { beforeEach, describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { loadServerConfig } from "../../src/config/server-config.js";
import { createEngine, type Engine } from "../../src/create-engine.js";
import { githubAppCheck } from "../../src/doctor/checks/github-app-check.js";
import { jobStoreCheck } from "../../src/doctor/checks/job-store-check.js";
import { repoConfigCheck } from "../../src/doctor/checks/repo-config-check.js";
import { createApp } from "../../src/index.js";
import { doctorEnv, testGoogleApi } from "../helpers/doctor-harness.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { API, REPO_PATH, nockInstallationToken, nockPermission, nockRepoConfig } from "../helpers/github-nock.js";
import * as gh from "../helpers/github-responses.js";
import { INSTALLATION_ID, issueCommentPayload, prCommentPayload } from "../helpers/payloads.js";
import { sharedParser } from "../helpers/shared-parser.js";
import { testProbot } from "../helpers/test-probot.js";
import { tempDir } from "../helpers/temp-dir.js";

let probot: Probot;
let engine: Engine;

/** The test's "GitHub" repositories: the comment runner reads the config from their default branch with git (the doctor's own checks still ask the contents API). */
let originRoot: string;

beforeEach(() => {
  originRoot = path.join(tempDir(), "origin");
  const env = doctorEnv({ MLOPS_CLONE_URL: path.join(originRoot, "{owner}", "{repo}") });
  const server = loadServerConfig(env);
  probot = testProbot();
  engine = createEngine(server, {
    botEnv: env,
    store: new SqliteJobStore(path.join(server.dataDir, "jobs.sqlite")),
    google: testGoogleApi(),
    doctorChecks: [githubAppCheck, repoConfigCheck, jobStoreCheck],
    parser: sharedParser(server),
  });
  void probot.load(createApp(engine));
});

/** Delivers the comment, then waits for the checks the webhook left running. */
async function deliver(payload: unknown, id = "delivery-doctor") {
  await probot.receive({ id, name: "issue_comment", payload: payload as never });
  await engine.background!.drain();
}

/** What the doctor's checks ask GitHub: the App (as the App), the repository's installation and config (the installation's token is Probot's cached one). */
function nockChecks(config: string | undefined, grants: Parameters<typeof gh.appWithGrants>[0] = {}) {
  nock(API).get("/app").reply(200, gh.appWithGrants(grants));
  nock(API).get(`${REPO_PATH}/installation`).reply(200, gh.repoInstallation({ id: INSTALLATION_ID }));
  nockRepoConfig(config);
}

describe("/doctor", () => {
  it("answers a maintainer on an issue in one comment, checking first, then the results with their fixes", async () => {
    const bodies: string[] = [];
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/7001/reactions`).reply(201, gh.reaction("eyes"));
    commitRepoConfig(originRoot, undefined);
    nockPermission("octocat", "maintain");
    nock(API).get("/app").reply(200, gh.appResponse());
    nock(API).get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (bodies.push(b.body), true))
      .reply(201, gh.issueComment({ id: 9100 }));
    nockChecks(undefined, { permissions: { contents: "read", issues: "write", pull_requests: "write", metadata: "read" } });
    nock(API)
      .patch(`${REPO_PATH}/issues/comments/9100`, (b: { body: string }) => (bodies.push(b.body), true))
      .reply(200, gh.issueComment({ id: 9100 }));

    const payload = issueCommentPayload("/doctor");
    payload.comment.id = 7001;
    await deliver(payload);

    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain("mlops-bot doctor: checking…");
    expect(bodies[1]).toMatch(/^<!-- mlops-bot:doctor -->\n### 🩺 ❌ mlops-bot doctor: 1 failed, 2 passed\n/);
    expect(bodies[1]).toContain("- ❌ **GitHub App permissions and events**: mlops-bot lacks `checks: write` (has none).");
    expect(bodies[1]).toContain("  **Fix:** Under \"Permissions & events\" at https://github.com/settings/apps/mlops-bot/permissions");
    expect(bodies[1]).toContain("- ✅ **Job store**:");
    expect(bodies[1]).toContain("requested by @octocat");
  });

  it("edits the same comment when run again", async () => {
    const edits: string[] = [];
    const once = (commentId: number, first: boolean) => {
      if (first) nockInstallationToken(); // then Probot's cached token
      nock(API).post(`${REPO_PATH}/issues/comments/${commentId}/reactions`).reply(201, gh.reaction("eyes"));
      commitRepoConfig(originRoot, undefined);
      nockPermission("octocat", "admin");
      if (first) {
        nock(API).get("/app").reply(200, gh.appResponse());
        nock(API).get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [gh.issueComment({ id: 9200, body: "<!-- mlops-bot:doctor -->\nold results" })]);
      }
      nock(API)
        .patch(`${REPO_PATH}/issues/comments/9200`, (b: { body: string }) => (edits.push(b.body), true))
        .times(2)
        .reply(200, gh.issueComment({ id: 9200 }));
      nockChecks("runner: local\n");
    };
    once(7002, true);
    await deliver(prCommentPayload({ body: "/doctor", commentId: 7002 }), "d-1");
    once(7003, false);
    await deliver(prCommentPayload({ body: "/doctor", commentId: 7003 }), "d-2");
    expect(edits).toHaveLength(4);
    expect(edits[3]).toContain("mlops-bot doctor: 3 passed");
  });

  it("refuses someone with write permission: it needs maintain by default", async () => {
    let reply = "";
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/7004/reactions`).reply(201, gh.reaction("eyes"));
    commitRepoConfig(originRoot, undefined);
    nockPermission("octocat", "write");
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true))
      .reply(201, gh.issueComment({ id: 9300 }));
    await deliver(prCommentPayload({ body: "/doctor", commentId: 7004 }));
    expect(reply).toContain("`/doctor` needs **maintain** permission on this repository; you have **write**. Nothing was run.");
    expect(engine.background!.size).toBe(0);
  });

  it("still runs when the repository config is broken, and reports it", async () => {
    const bodies: string[] = [];
    const broken = "runner: kubernetes\n";
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/7005/reactions`).reply(201, gh.reaction("eyes"));
    commitRepoConfig(originRoot, broken);
    nockPermission("octocat", "maintain");
    nock(API).get("/app").reply(200, gh.appResponse());
    nock(API).get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, []);
    nock(API)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (bodies.push(b.body), true))
      .times(2)
      .reply(201, gh.issueComment({ id: 9400 }));
    nockChecks(broken);
    nock(API)
      .patch(`${REPO_PATH}/issues/comments/9400`, (b: { body: string }) => (bodies.push(b.body), true))
      .reply(200, gh.issueComment({ id: 9400 }));
    await deliver(prCommentPayload({ body: "/doctor", commentId: 7005 }));
    const [pending, reply, results] = bodies;
    expect(pending).toContain("checking…");
    expect(reply).toContain("The bot's configuration is invalid");
    expect(results).toContain("- ❌ **Repository config**: .github/mlops-bot.yml:1:");
  });
});
