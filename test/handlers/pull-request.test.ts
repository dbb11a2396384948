import path from "node:path";
import nock from "nock";
import type { Probot } from "probot";
import { beforeEach, describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../src/adapters/stores/sqlite-job-store.js";
import { loadServerConfig } from "../../src/config/server-config.js";
import { createEngine, type Engine } from "../../src/create-engine.js";
import { createApp } from "../../src/index.js";
import { API, REPO_PATH, nockInstallationToken } from "../helpers/github-nock.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { pullRequestEventPayload } from "../helpers/payloads.js";
import { tempDir } from "../helpers/temp-dir.js";
import { testProbot } from "../helpers/test-probot.js";
import * as gh from "../helpers/github-responses.js";

let probot: Probot;
let engine: Engine;
const head = "b".repeat(40);
const base = "a".repeat(40);

/** The test's "GitHub" repositories: the bot reads its config from their default branch with git. */
let originRoot: string;

beforeEach(async () => {
  const dir = tempDir();
  originRoot = path.join(dir, "origin");
  probot = testProbot();
  engine = createEngine(loadServerConfig({ MLOPS_DATA_DIR: dir, MLOPS_CLONE_URL: path.join(originRoot, "{owner}", "{repo}") }), { botEnv: {}, store: new SqliteJobStore(path.join(dir, "jobs.sqlite")) });
  await probot.load(createApp(engine));
});

const deliver = (payload: unknown, id = "d-1") => probot.receive({ id, name: "pull_request", payload: payload as never });

describe("pull_request opened / synchronize / reopened", () => {
  it.each(["opened", "synchronize", "reopened"] as const)("%s queues a diff job and shows the queued check mlops-bot/data", async (action) => {
    let created: Record<string, unknown> = {};
    nockInstallationToken();
    commitRepoConfig(originRoot, undefined);
    nock(API)
      .post(`${REPO_PATH}/check-runs`, (b: Record<string, unknown>) => ((created = b), true))
      .reply(201, gh.checkRun({ id: 5 }));
    await deliver(pullRequestEventPayload({ action, head, base }), `d-${action}`);
    const jobs = await engine.store.list({});
    expect(jobs.map((j) => ({ kind: j.kind, key: j.key, group: j.group, state: j.state, headSha: j.headSha, baseSha: j.baseSha, checkRunId: j.checkRunId, input: j.input }))).toEqual([
      { kind: "diff", key: `delivery:d-${action}`, group: "Codertocat/Hello-World#1:diff", state: "queued", headSha: head, baseSha: base, checkRunId: 5, input: { trigger: `\`pull_request.${action}\`` } },
    ]);
    expect(created).toMatchObject({ name: "mlops-bot/data", head_sha: head, status: "queued", output: { title: "Queued" } });
  });

  it("does nothing when the repo config turns it off (data.on_pull_request: false)", async () => {
    nockInstallationToken();
    commitRepoConfig(originRoot, "data:\n  on_pull_request: false\n");
    await deliver(pullRequestEventPayload({ action: "opened", head, base }));
    expect(await engine.store.list({})).toEqual([]);
  });

  it("ends the check at once, neutral, when the repo config is invalid, saying what to fix", async () => {
    let done: { conclusion?: string; output?: { title: string; summary: string } } = {};
    nockInstallationToken();
    commitRepoConfig(originRoot, "data:\n  on_pull_request: sometimes\n");
    nock(API).post(`${REPO_PATH}/check-runs`).reply(201, gh.checkRun({ id: 6 }));
    nock(API)
      .patch(`${REPO_PATH}/check-runs/6`, (b: typeof done) => ((done = b), true))
      .reply(200, gh.checkRun({ id: 6 }));
    await deliver(pullRequestEventPayload({ action: "opened", head, base }));
    expect(await engine.store.list({})).toEqual([]);
    expect(done.conclusion).toBe("neutral");
    expect(done.output?.title).toBe("The bot's configuration is invalid");
    expect(done.output?.summary).toMatch(/^The bot's configuration is invalid, so nothing was run:\n\n- \.github\/mlops-bot\.yml:2:\d+: .*on_pull_request/);
  });

  it("ignores a closed pull request and deliveries without an installation", async () => {
    await deliver(pullRequestEventPayload({ action: "reopened", head, base, state: "closed" }));
    const payload = pullRequestEventPayload({ action: "opened", head, base });
    delete payload.installation;
    await deliver(payload, "d-2");
    expect(await engine.store.list({})).toEqual([]);
  });

  it("lets a redelivery retry when the first attempt failed before queueing", async () => {
    nockInstallationToken();
    // No repository to read the config from yet (GitHub's git unreachable): the delivery fails, nothing is queued.
    await expect(deliver(pullRequestEventPayload({ action: "opened", head, base }))).rejects.toThrow(/could not learn the default branch's head of Codertocat\/Hello-World/);
    expect(await engine.store.list({})).toEqual([]);
    commitRepoConfig(originRoot, undefined);
    nock(API).post(`${REPO_PATH}/check-runs`).reply(201, gh.checkRun({ id: 7 }));
    await deliver(pullRequestEventPayload({ action: "opened", head, base }));
    expect((await engine.store.list({})).map((j) => j.key)).toEqual(["delivery:d-1"]);
  });
});
