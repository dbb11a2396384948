import nock from "nock";
import { describe, expect, it } from "vitest";
import { GitHubCodeHost } from "../../../src/adapters/github/github-code-host.js";
import { API } from "../../helpers/github-nock.js";
import * as gh from "../../helpers/github-responses.js";
import { TestOctokit } from "../../helpers/test-probot.js";

const host = () => new GitHubCodeHost(new TestOctokit({ auth: "ghs_test" }), "octo", "ml", () => Promise.resolve(gh.APP_LOGIN));

describe("GitHubCodeHost issues", () => {
  it("reads an issue's body, state, reason and labels (objects or names), and tells pull requests apart", async () => {
    const closed = gh.issue({ number: 12, body: "- [ ] a\r\n", state: "closed", stateReason: "not_planned", labels: ["backlog"] });
    nock(API)
      .get("/repos/octo/ml/issues/12")
      .reply(200, { ...closed, labels: [...(closed.labels as unknown[]), "infra"] });
    nock(API).get("/repos/octo/ml/issues/13").reply(200, gh.issue({ number: 13, body: null, labels: [], pullRequest: true }));

    expect(await host().getIssue(12)).toEqual({ number: 12, body: "- [ ] a\r\n", state: "closed", stateReason: "not_planned", labels: ["backlog", "infra"], isPullRequest: false });
    expect(await host().getIssue(13)).toEqual({ number: 13, body: "", state: "open", stateReason: null, labels: [], isPullRequest: true });
  });

  it("answers undefined for a missing or deleted issue, and throws other errors", async () => {
    nock(API).get("/repos/octo/ml/issues/1").reply(404, gh.githubError(404));
    nock(API).get("/repos/octo/ml/issues/2").reply(410, gh.githubError(410, "This issue was deleted"));
    nock(API).get("/repos/octo/ml/issues/3").reply(500, gh.githubError(500, "boom"));
    expect(await host().getIssue(1)).toBeUndefined();
    expect(await host().getIssue(2)).toBeUndefined();
    await expect(host().getIssue(3)).rejects.toMatchObject({ status: 500 });
  });

  it("writes a body, closes with a reason, and reopens", async () => {
    const sent: unknown[] = [];
    nock(API)
      .patch("/repos/octo/ml/issues/12", (b) => (sent.push(b), true))
      .times(3)
      .reply(200, gh.issue({ number: 12, body: "- [x] a" }));
    await host().updateIssue(12, { body: "- [x] a" });
    await host().updateIssue(12, { state: "closed", stateReason: "completed" });
    await host().updateIssue(12, { state: "open" });
    expect(sent).toEqual([{ body: "- [x] a" }, { state: "closed", state_reason: "completed" }, { state: "open" }]);
  });
});
