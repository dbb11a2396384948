import nock from "nock";
import { describe, expect, it } from "vitest";
import { costSummaryCheck } from "../../src/doctor/checks/cost-summary-check.js";
import { doctorEnv, runCheck } from "../helpers/doctor-harness.js";
import { API } from "../helpers/github-nock.js";
import * as gh from "../helpers/github-responses.js";

const env = doctorEnv({ MLOPS_COST_ISSUE: "octo-org/ml-platform#12" });
const REPO = "/repos/octo-org/ml-platform";

describe("weekly cost summary check", () => {
  it("passes when the issue exists on a repository the App may comment on, reading only", async () => {
    nock(API).get(`${REPO}/installation`).reply(200, gh.repoInstallation({ id: 77 }));
    nock(API).post("/app/installations/77/access_tokens").reply(201, gh.installationToken());
    nock(API).get(`${REPO}/issues/12`).reply(200, { ...gh.issue({ number: 12, body: "Costs", labels: [] }), title: "Weekly training costs" });
    const result = await runCheck(costSummaryCheck, { env });
    expect(result.status).toBe("ok");
    expect(result.found).toBe('The summary goes to octo-org/ml-platform#12 ("Weekly training costs", open) every Monday.');
  });

  it("fails when the App is not installed there, or the issue does not exist, or it may not comment, each with its fix", async () => {
    nock(API).get(`${REPO}/installation`).reply(404, gh.githubError(404));
    const missingApp = await runCheck(costSummaryCheck, { env });
    expect([missingApp.status, missingApp.found]).toEqual(["fail", "The App is not installed on octo-org/ml-platform, so it cannot comment there."]);
    expect(missingApp.fix).toContain("Install the App on octo-org/ml-platform");

    nock(API).get(`${REPO}/installation`).reply(200, gh.repoInstallation({ id: 77 }));
    nock(API).post("/app/installations/77/access_tokens").reply(201, gh.installationToken());
    nock(API).get(`${REPO}/issues/12`).reply(404, gh.githubError(404));
    const missingIssue = await runCheck(costSummaryCheck, { env });
    expect([missingIssue.status, missingIssue.found]).toEqual(["fail", "octo-org/ml-platform has no issue #12 the App can see."]);

    nock(API).get(`${REPO}/installation`).reply(200, gh.repoInstallation({ id: 77, permissions: { contents: "read", issues: "read", metadata: "read" } }));
    const readOnly = await runCheck(costSummaryCheck, { env });
    expect([readOnly.status, readOnly.found]).toEqual(["fail", "The installation on octo-org/ml-platform has `issues: read`, so it cannot comment."]);
    expect(readOnly.fix).toContain("https://github.com/settings/installations/77");
  });

  it("is not applicable without MLOPS_COST_ISSUE", async () => {
    const result = await runCheck(costSummaryCheck);
    expect(result.status).toBe("skip");
  });
});
