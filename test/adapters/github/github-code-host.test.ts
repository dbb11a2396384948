import nock from "nock";
import { describe, expect, it } from "vitest";
import { GitHubCodeHost } from "../../../src/adapters/github/github-code-host.js";
import { API } from "../../helpers/github-nock.js";
import { TestOctokit } from "../../helpers/test-probot.js";

const host = () => new GitHubCodeHost(new TestOctokit({ auth: "ghs_test" }), "octo", "ml");
const MARKER = "<!-- mlops-bot:train -->";

describe("GitHubCodeHost.upsertStickyComment", () => {
  it("finds the bot's comment by its marker across pages and edits it in place", async () => {
    const page1 = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, body: `comment ${i}`, user: { type: "User" } }));
    const page2 = [
      { id: 500, body: `${MARKER}\nold`, user: { type: "User" } }, // a person quoting the marker is not the bot
      { id: 501, body: `${MARKER}\nold report`, user: { type: "Bot" } },
    ];
    let edited: unknown;
    nock(API)
      .get("/repos/octo/ml/issues/3/comments")
      .query({ per_page: "100" })
      .reply(200, page1, { link: '<https://api.github.com/repos/octo/ml/issues/3/comments?per_page=100&page=2>; rel="next"' });
    nock(API).get("/repos/octo/ml/issues/3/comments").query({ per_page: "100", page: "2" }).reply(200, page2);
    nock(API)
      .patch("/repos/octo/ml/issues/comments/501", (b) => ((edited = b), true))
      .reply(200, { id: 501 });

    const id = await host().upsertStickyComment({ issueNumber: 3, marker: MARKER, body: "new report" });

    expect(id).toBe(501);
    expect(edited).toEqual({ body: `${MARKER}\nnew report` });
  });

  it("uses a known id without searching, and falls back to a search when it was deleted", async () => {
    nock(API).patch("/repos/octo/ml/issues/comments/42").reply(200, { id: 42 });
    expect(await host().upsertStickyComment({ issueNumber: 3, marker: MARKER, body: `${MARKER}\nx`, knownId: 42 })).toBe(42);

    nock(API).patch("/repos/octo/ml/issues/comments/43").reply(404, { message: "Not Found" });
    nock(API).get("/repos/octo/ml/issues/3/comments").query(true).reply(200, []);
    nock(API).post("/repos/octo/ml/issues/3/comments", { body: `${MARKER}\nx` }).reply(201, { id: 44 });
    expect(await host().upsertStickyComment({ issueNumber: 3, marker: MARKER, body: `${MARKER}\nx`, knownId: 43 })).toBe(44);
  });

  it("trims a check run's output to GitHub's limit instead of failing the call", async () => {
    let sent: { output: { summary: string } } | undefined;
    nock(API)
      .patch("/repos/octo/ml/check-runs/9", (b) => ((sent = b as typeof sent), true))
      .reply(200, {});
    await host().updateCheckRun(9, { conclusion: "success", output: { title: "t", summary: "| row |\n".repeat(20_000) } });
    expect(Buffer.byteLength(sent!.output.summary)).toBeLessThanOrEqual(65_535);
    expect(sent!.output.summary).toContain("Output trimmed to fit GitHub's limit");
  });
});
