import nock from "nock";
import { describe, expect, it } from "vitest";
import { cloneUrlOnApiHost, GitHubCodeHost } from "../../../src/adapters/github/github-code-host.js";
import { API } from "../../helpers/github-nock.js";
import * as gh from "../../helpers/github-responses.js";
import { TestOctokit } from "../../helpers/test-probot.js";

const host = () => new GitHubCodeHost(new TestOctokit({ auth: "ghs_test" }), "octo", "ml", () => Promise.resolve(gh.APP_LOGIN));
const MARKER = "<!-- mlops-bot:train -->";
const comment = (id: number, body: string, login = gh.APP_LOGIN) => gh.issueComment({ id, body, login, issue: 3 });

describe("GitHubCodeHost.upsertStickyComment", () => {
  it("finds the app's own comment by its marker across pages and edits it in place", async () => {
    const page1 = Array.from({ length: 100 }, (_, i) => comment(i + 1, `comment ${i}`, "octocat"));
    const page2 = [comment(501, `${MARKER}\nold report`)];
    let edited: unknown;
    nock(API)
      .get("/repos/octo/ml/issues/3/comments")
      .query({ per_page: "100" })
      .reply(200, page1, { link: '<https://api.github.com/repos/octo/ml/issues/3/comments?per_page=100&page=2>; rel="next"' });
    nock(API).get("/repos/octo/ml/issues/3/comments").query({ per_page: "100", page: "2" }).reply(200, page2);
    nock(API)
      .patch("/repos/octo/ml/issues/comments/501", (b) => ((edited = b), true))
      .reply(200, comment(501, `${MARKER}\nnew report`));

    const id = await host().upsertStickyComment({ issueNumber: 3, marker: MARKER, body: "new report" });

    expect(id).toBe(501);
    expect(edited).toEqual({ body: `${MARKER}\nnew report` });
  });

  it("never edits a comment that only carries the marker: a person's, another bot's, or another app's", async () => {
    const hostile = [
      comment(500, `${MARKER}\nquoted by a person`, "octocat"),
      comment(501, `${MARKER}\nposted by another bot`, "renovate[bot]"),
      comment(502, `${MARKER}\na user named like a bot`, "mlops-bot"),
    ];
    nock(API).get("/repos/octo/ml/issues/3/comments").query(true).reply(200, hostile);
    nock(API).post("/repos/octo/ml/issues/3/comments", { body: `${MARKER}\nreport` }).reply(201, comment(503, `${MARKER}\nreport`));

    expect(await host().upsertStickyComment({ issueNumber: 3, marker: MARKER, body: "report" })).toBe(503);
  });

  it("uses a known id without searching, and falls back to a search when it was deleted", async () => {
    nock(API).patch("/repos/octo/ml/issues/comments/42").reply(200, comment(42, `${MARKER}\nx`));
    expect(await host().upsertStickyComment({ issueNumber: 3, marker: MARKER, body: `${MARKER}\nx`, knownId: 42 })).toBe(42);

    nock(API).patch("/repos/octo/ml/issues/comments/43").reply(404, gh.githubError(404));
    nock(API).get("/repos/octo/ml/issues/3/comments").query(true).reply(200, []);
    nock(API).post("/repos/octo/ml/issues/3/comments", { body: `${MARKER}\nx` }).reply(201, comment(44, `${MARKER}\nx`));
    expect(await host().upsertStickyComment({ issueNumber: 3, marker: MARKER, body: `${MARKER}\nx`, knownId: 43 })).toBe(44);
  });

  it("creates the comment without listing when the caller knows there is none yet", async () => {
    // No GET of the comments: nock fails the test on any call it was not told of.
    nock(API).post("/repos/octo/ml/issues/3/comments", { body: `${MARKER}\nfirst` }).reply(201, comment(45, `${MARKER}\nfirst`));
    expect(await host().upsertStickyComment({ issueNumber: 3, marker: MARKER, body: "first", knownAbsent: true })).toBe(45);
  });

  it("trims a check run's output to GitHub's limit instead of failing the call", async () => {
    let sent: { output: { summary: string } } | undefined;
    nock(API)
      .patch("/repos/octo/ml/check-runs/9", (b) => ((sent = b as typeof sent), true))
      .reply(200, gh.checkRun({ id: 9 }));
    await host().updateCheckRun(9, { conclusion: "success", output: { title: "t", summary: "| row |\n".repeat(20_000) } });
    expect(Buffer.byteLength(sent!.output.summary)).toBeLessThanOrEqual(65_535);
    expect(sent!.output.summary).toContain("Output trimmed to fit GitHub's limit");
  });
});

describe("GitHubCodeHost: web addresses", () => {
  it("gives the check run's and the repository's pages as GitHub returns them, so an Enterprise Server host is kept", async () => {
    const ghes = "https://ghe.example.com";
    nock(API).patch("/repos/octo/ml/check-runs/9").reply(200, { ...gh.checkRun({ id: 9 }), html_url: `${ghes}/octo/ml/runs/9` });
    expect(await host().updateCheckRun(9, { conclusion: "success", output: { title: "t", summary: "s" } })).toEqual({ url: `${ghes}/octo/ml/runs/9` });

    const pr = gh.pullRequest({ number: 3, head: "a".repeat(40), base: "b".repeat(40) });
    nock(API)
      .get("/repos/octo/ml/pulls/3")
      .reply(200, { ...pr, base: { ...pr.base, repo: { ...pr.base.repo, html_url: `${ghes}/octo/ml` } } });
    expect((await host().getPullRequest(3)).repoUrl).toBe(`${ghes}/octo/ml`);
  });

  it("gives the git URL from the webhook's clone_url, else on the host of the API it talks to (github.com or an Enterprise Server)", () => {
    const login = () => Promise.resolve(gh.APP_LOGIN);
    const fromWebhook = new GitHubCodeHost(new TestOctokit({ auth: "ghs_test" }), "octo", "ml", login, undefined, "https://ghe.example.com/octo/ml.git");
    expect(fromWebhook.cloneUrl()).toBe("https://ghe.example.com/octo/ml.git");
    expect(host().cloneUrl()).toBe("https://github.com/octo/ml.git");
    const onGhes = new GitHubCodeHost(new TestOctokit({ auth: "ghs_test", baseUrl: "https://ghe.example.com/api/v3" }), "octo", "ml", login);
    expect(onGhes.cloneUrl()).toBe("https://ghe.example.com/octo/ml.git");
    expect(cloneUrlOnApiHost("http://ghe.internal:8080/api/v3/", "o", "r")).toBe("http://ghe.internal:8080/o/r.git");
  });
});

describe("appLoginOf", () => {
  it("asks GitHub for the app's slug once, as the app", async () => {
    const { appLoginOf } = await import("../../../src/adapters/github/app-login.js");
    const { testProbot } = await import("../../helpers/test-probot.js");
    nock(API).get("/app").reply(200, gh.appResponse("my-mlops"));
    const login = appLoginOf(testProbot());
    expect(await login()).toBe("my-mlops[bot]");
    expect(await login()).toBe("my-mlops[bot]");
  });
});

describe("GitHubCodeHost.createCheckRun", () => {
  it("links a job's check run to its signed job page (details_url), and nothing for an id that is no job", async () => {
    const withPages = new GitHubCodeHost(new TestOctokit({ auth: "ghs_test" }), "octo", "ml", () => Promise.resolve(gh.APP_LOGIN), (id) => `https://bot.example.com/jobs/${id}?exp=1&sig=s`);
    const bodies: Array<Record<string, unknown>> = [];
    nock(API)
      .post("/repos/octo/ml/check-runs", (b) => (bodies.push(b as Record<string, unknown>), true))
      .times(2)
      .reply(201, gh.checkRun({ id: 5 }));
    const job = "0b6e3c5e-8f2a-4d1b-9c3e-2a1f5d7e9b10";
    await withPages.createCheckRun({ name: "mlops-bot/train", headSha: "a".repeat(40), externalId: job, status: "queued", output: { title: "Queued", summary: "" } });
    await withPages.createCheckRun({ name: "mlops-bot/data", headSha: "a".repeat(40), externalId: "delivery:1", status: "in_progress", output: { title: "t", summary: "" } });
    expect(bodies[0]!.details_url).toBe(`https://bot.example.com/jobs/${job}?exp=1&sig=s`);
    expect(bodies[1]).not.toHaveProperty("details_url");
  });
});
