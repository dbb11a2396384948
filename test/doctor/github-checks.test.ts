import { createHmac } from "node:crypto";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { githubAppCheck } from "../../src/doctor/checks/github-app-check.js";
import { installationCheck } from "../../src/doctor/checks/installation-check.js";
import { repoConfigCheck } from "../../src/doctor/checks/repo-config-check.js";
import { webhookCheck } from "../../src/doctor/checks/webhook-check.js";
import { doctorEnv, runCheck, WEBHOOK_SECRET } from "../helpers/doctor-harness.js";
import { API, REPO_PATH, nockInstallationToken, nockRepoConfig } from "../helpers/github-nock.js";
import * as gh from "../helpers/github-responses.js";
import { INSTALLATION_ID, prCommentPayload } from "../helpers/payloads.js";

const nockApp = (grants: Parameters<typeof gh.appWithGrants>[0] = {}) => nock(API).get("/app").reply(200, gh.appWithGrants(grants));
const nockInstallation = (params: Partial<Parameters<typeof gh.repoInstallation>[0]> = {}) =>
  nock(API).get(`${REPO_PATH}/installation`).reply(200, gh.repoInstallation({ id: INSTALLATION_ID, ...params }));

describe("GitHub App check", () => {
  it("passes when the App has every permission and event app.yml asks for", async () => {
    nockApp();
    const result = await runCheck(githubAppCheck);
    expect(result.status).toBe("ok");
    expect(result.found).toContain("checks, contents, issues, pull_requests, metadata");
  });

  it("fails naming a missing permission and event, with the settings page to fix them", async () => {
    nockApp({ permissions: { checks: "read", contents: "read", issues: "write", pull_requests: "write", metadata: "read" }, events: ["issue_comment", "issues", "pull_request", "push"] });
    const result = await runCheck(githubAppCheck);
    expect(result.status).toBe("fail");
    expect(result.found).toBe("mlops-bot lacks `checks: write` (has read), the `check_run` event.");
    expect(result.fix).toContain("https://github.com/settings/apps/mlops-bot/permissions");
  });

  it("is not applicable without the App's credentials", async () => {
    const result = await runCheck(githubAppCheck, { github: null });
    expect(result.status).toBe("skip");
  });
});

describe("installation check", () => {
  it("passes for an installation on the repository that accepted every permission the App has", async () => {
    nockApp();
    nockInstallation();
    expect((await runCheck(installationCheck)).status).toBe("ok");
  });

  it("fails when the App is not installed on the repository, with the install link", async () => {
    nockApp();
    nock(API).get(`${REPO_PATH}/installation`).reply(404, gh.githubError(404));
    const result = await runCheck(installationCheck);
    expect(result.status).toBe("fail");
    expect(result.found).toContain("is not installed on Codertocat/Hello-World");
    expect(result.fix).toContain("https://github.com/apps/mlops-bot/installations/new");
  });

  it("fails when the owner has not accepted a permission the App now asks for", async () => {
    nockApp();
    nockInstallation({ permissions: { contents: "read", issues: "write", pull_requests: "write", metadata: "read" } });
    const result = await runCheck(installationCheck);
    expect(result.status).toBe("fail");
    expect(result.found).toContain("`checks: write` (has none)");
    expect(result.fix).toContain(`https://github.com/settings/installations/${INSTALLATION_ID}`);
  });

  it("without a repository, lists the installations and fails when there is none", async () => {
    nock(API).get("/app/installations").query({ per_page: 100 }).reply(200, []);
    nockApp();
    const result = await runCheck(installationCheck, { repo: null });
    expect(result.status).toBe("fail");
    expect(result.found).toContain("installed nowhere");
  });
});

const payload = prCommentPayload({ body: "/help" });
const sign = (secret: string) => `sha256=${createHmac("sha256", secret).update(JSON.stringify(payload)).digest("hex")}`;

function nockDeliveries(items: Array<{ id: number; statusCode: number }>, newest?: { signature: string | undefined; responseBody?: string }) {
  nock(API).get("/app/hook/config").reply(200, gh.hookConfig("https://bot.example.com/api/github/webhooks"));
  nock(API).get("/app/hook/deliveries").query({ per_page: 50 }).reply(200, items.map((i) => gh.hookDeliveryItem(i)));
  if (newest && items[0]) {
    nock(API)
      .get(`/app/hook/deliveries/${items[0].id}`)
      .reply(200, gh.hookDelivery({ ...items[0], payload, signature: newest.signature, ...(newest.responseBody === undefined ? {} : { responseBody: newest.responseBody }) }));
  }
}

describe("webhook check", () => {
  const env = doctorEnv({ MLOPS_PUBLIC_URL: "https://bot.example.com" });

  it("passes when recent deliveries succeeded and the newest is signed with WEBHOOK_SECRET", async () => {
    nockApp();
    nockDeliveries([{ id: 3, statusCode: 200 }, { id: 2, statusCode: 202 }], { signature: sign(WEBHOOK_SECRET) });
    const result = await runCheck(webhookCheck, { env });
    expect(result.status).toBe("ok");
    expect(result.found).toContain("2 recent deliveries");
  });

  it("fails naming the webhook secret when the bot refused a delivery signed with another one", async () => {
    nockApp();
    nockDeliveries([{ id: 3, statusCode: 400 }, { id: 2, statusCode: 400 }], { signature: sign("the-secret-github-has"), responseBody: "signature does not match" });
    const result = await runCheck(webhookCheck, { env });
    expect(result.status).toBe("fail");
    expect(result.found).toContain("its signature does not match WEBHOOK_SECRET");
    expect(result.fix).toContain('set "Webhook secret" at https://github.com/settings/apps/mlops-bot');
  });

  it("fails when GitHub signs nothing (the App has no secret)", async () => {
    nockApp();
    nockDeliveries([{ id: 3, statusCode: 400 }], { signature: undefined });
    const result = await runCheck(webhookCheck, { env });
    expect(result.status).toBe("fail");
    expect(result.found).toContain("the App has no webhook secret");
  });

  it("warns about older failed deliveries, and fails when the App sends them elsewhere", async () => {
    nockApp();
    nockDeliveries([{ id: 3, statusCode: 200 }, { id: 2, statusCode: 502 }], { signature: sign(WEBHOOK_SECRET) });
    const older = await runCheck(webhookCheck, { env });
    expect(older.status).toBe("warn");
    expect(older.found).toContain("1 of the last 2 deliveries failed (502)");

    nockApp();
    nockDeliveries([{ id: 3, statusCode: 200 }], { signature: sign(WEBHOOK_SECRET) });
    const moved = await runCheck(webhookCheck, { env: doctorEnv({ MLOPS_PUBLIC_URL: "https://new-bot.example.com" }) });
    expect(moved.status).toBe("fail");
    expect(moved.found).toContain("but the bot listens at https://new-bot.example.com/api/github/webhooks");
  });

  it("warns when GitHub lists no deliveries", async () => {
    nockApp();
    nockDeliveries([]);
    expect((await runCheck(webhookCheck, { env })).status).toBe("warn");
  });
});

describe("repository config check", () => {
  it("passes on a valid config, and with no file (defaults)", async () => {
    nockInstallation();
    nockInstallationToken();
    nockRepoConfig("runner: local\n");
    const valid = await runCheck(repoConfigCheck);
    expect(valid.status).toBe("ok");
    expect(valid.found).toContain("Runner: local");

    nockInstallation();
    nockInstallationToken();
    nockRepoConfig(undefined);
    const none = await runCheck(repoConfigCheck);
    expect(none.status).toBe("ok");
    expect(none.found).toContain("No file: every default applies");
  });

  it("fails on an invalid config, naming the file, line and key", async () => {
    nockInstallation();
    nockInstallationToken();
    nockRepoConfig("runner: kubernetes\n");
    const result = await runCheck(repoConfigCheck);
    expect(result.status).toBe("fail");
    expect(result.found).toMatch(/^\.github\/mlops-bot\.yml:1:\d+: .*runner/);
  });
});
