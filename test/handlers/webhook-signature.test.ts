import path from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { createEngine } from "../../src/create-engine.js";
import { loadServerConfig } from "../../src/config/server-config.js";
import { createApp } from "../../src/index.js";
import { API, REPO_PATH, nockInstallationToken } from "../helpers/github-nock.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { prCommentPayload } from "../helpers/payloads.js";
import { deliveryHeaders, serveApp } from "../helpers/serve-app.js";
import { tempDir } from "../helpers/temp-dir.js";
import { testProbot } from "../helpers/test-probot.js";
import * as gh from "../helpers/github-responses.js";

let served: Awaited<ReturnType<typeof serveApp>>;
let store: SqliteJobStore;

/** The test's "GitHub" repositories: the bot reads its config from their default branch with git. */
let originRoot: string;

beforeEach(async () => {
  const dir = tempDir();
  originRoot = path.join(dir, "origin");
  store = new SqliteJobStore(path.join(dir, "jobs.sqlite"));
  const appFn = createApp(createEngine(loadServerConfig({ MLOPS_DATA_DIR: dir, MLOPS_CLONE_URL: path.join(originRoot, "{owner}", "{repo}") }), { botEnv: {}, store }));
  served = await serveApp(testProbot(), appFn);
});

afterEach(async () => {
  await served.close();
  await store.close();
});

const body = JSON.stringify(prCommentPayload({ body: "/help", commentId: 8101 }));

describe("webhook deliveries over HTTP on 127.0.0.1", () => {
  it("answers a signed delivery with 2xx after running the handler", async () => {
    nockInstallationToken();
    nock(API).post(`${REPO_PATH}/issues/comments/8101/reactions`).reply(201, gh.reaction());
    commitRepoConfig(originRoot, undefined);
    const reply = nock(API).post(`${REPO_PATH}/issues/1/comments`).reply(201, gh.issueComment({ id: 1 }));

    const res = await fetch(served.url, {
      method: "POST",
      body,
      headers: deliveryHeaders({ event: "issue_comment", id: "sig-ok", body, secret: "test-secret" }),
    });

    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(reply.isDone()).toBe(true);
    expect(await store.markCommandSeen("comment:8101:0")).toBe(false); // the handler ran
  });

  it.each([
    ["unsigned", undefined],
    ["signed with the wrong secret", "not-the-secret"],
  ])("refuses an %s delivery and runs no handler", async (_name, secret) => {
    const res = await fetch(served.url, {
      method: "POST",
      body,
      headers: deliveryHeaders({ event: "issue_comment", id: "sig-bad", body, ...(secret ? { secret } : {}) }),
    });

    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await store.markCommandSeen("comment:8101:0")).toBe(true); // never seen: no handler ran
  });

  it("refuses a body that was changed after signing", async () => {
    const headers = deliveryHeaders({ event: "issue_comment", id: "sig-tampered", body, secret: "test-secret" });
    const tampered = body.replace("/help", "/build");
    const res = await fetch(served.url, { method: "POST", body: tampered, headers });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await store.markCommandSeen("comment:8101:0")).toBe(true);
  });
});
