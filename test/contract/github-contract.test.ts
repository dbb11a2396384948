import nock from "nock";
import { describe, expect, it } from "vitest";
import { GitHubCodeHost } from "../../src/adapters/github/github-code-host.js";
import { checkGitHubExchange } from "../helpers/contract/github-contract.js";
import { takeContractProblems } from "../helpers/contract/nock-contract-hook.js";
import { API } from "../helpers/github-nock.js";
import * as gh from "../helpers/github-responses.js";
import { TestOctokit } from "../helpers/test-probot.js";

const R = "/repos/Codertocat/Hello-World";
const exchange = (method: string, path: string, status: number, responseBody: unknown, requestBody?: unknown) =>
  checkGitHubExchange({ method, path, status, responseBody, requestBody });

describe("GitHub's OpenAPI contract", () => {
  it("accepts every response the fakes build, for the operation that returns it", () => {
    expect([
      ...exchange("GET", "/app", 200, gh.appResponse()),
      ...exchange("POST", "/app/installations/2/access_tokens", 201, gh.installationToken()),
      ...exchange("POST", `${R}/issues/comments/7/reactions`, 201, gh.reaction("eyes"), { content: "eyes" }),
      ...exchange("GET", `${R}/collaborators/octocat/permission`, 200, gh.permission("octocat", "maintain")),
      ...exchange("GET", `${R}/pulls/1`, 200, gh.pullRequest({ head: "a".repeat(40), base: "b".repeat(40), fork: true })),
      ...exchange("GET", `${R}/issues/12`, 200, gh.issue({ body: "- [ ] x", labels: ["backlog", "ml"] })),
      ...exchange("POST", `${R}/issues/1/comments`, 201, gh.issueComment({ id: 3, body: "hi" }), { body: "hi" }),
      ...exchange("GET", `${R}/issues/1/comments?per_page=100`, 200, [gh.issueComment({ id: 3, login: "octocat" })]),
      ...exchange("POST", `${R}/check-runs`, 201, gh.checkRun({ id: 9 }), { name: "mlops-bot/train", head_sha: "a".repeat(40), status: "queued" }),
      ...exchange("GET", `${R}/contents/ml%2Fparams.yaml?ref=main`, 404, gh.githubError(404)),
      // A field named like OpenAPI prose (`description`) is a field all the same.
      ...exchange("PATCH", `${R}/check-runs/9`, 200, gh.checkRun({ id: 9 }), { actions: [{ label: "Train", description: "Train again", identifier: "train-again" }] }),
    ]).toEqual([]);
  });

  it("names a request body field GitHub does not know, a wrong type, and an unknown query parameter", () => {
    expect(exchange("PATCH", `${R}/check-runs/9`, 200, gh.checkRun({ id: 9 }), { status: "completed", conclusion: "success", summary: "x" })).toEqual([
      "PATCH /repos/Codertocat/Hello-World/check-runs/9 (checks/update): request body: (root) must NOT have additional properties (summary)",
    ]);
    expect(exchange("POST", `${R}/issues/1/comments`, 201, gh.issueComment({ id: 3 }), { body: 42 })[0]).toContain("/body must be string");
    expect(exchange("GET", `${R}/issues/1/comments?perpage=100`, 200, [])[0]).toContain('query parameter "perpage" is not one the operation takes');
    expect(exchange("GET", `${R}/pulls/one`, 200, {})[0]).toContain('path parameter "pull_number" = "one"');
  });

  it("names a fake response that GitHub would never send", () => {
    expect(exchange("POST", `${R}/issues/1/comments`, 201, { id: 3 }, { body: "x" })[0]).toContain("must have required property 'node_id'");
    expect(exchange("POST", `${R}/issues/1/comments`, 200, gh.issueComment({ id: 3 }), { body: "x" })[0]).toContain("status 200 is not one the operation returns");
    expect(exchange("GET", "/repos/Codertocat/Hello-World/nothing-here", 200, {})).toEqual(["GET /repos/Codertocat/Hello-World/nothing-here: GitHub's API has no such path"]);
  });

  it("fails a test whose bot sends a wrong field through nock: the hook records it at the reply", async () => {
    nock(API).patch("/repos/octo/ml/check-runs/9").reply(200, gh.checkRun({ id: 9 }));
    const octokit = new TestOctokit({ auth: "ghs_test" });
    await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { owner: "octo", repo: "ml", check_run_id: 9, status: "done" } as never);
    const problems = takeContractProblems();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PATCH \/repos\/octo\/ml\/check-runs\/9 \(checks\/update\): request body: .*\/status must be equal to one of the allowed values/);
  });

  it("lets the real adapter's calls through untouched", async () => {
    nock(API).post("/repos/octo/ml/issues/comments/5/reactions", { content: "rocket" }).reply(201, gh.reaction("rocket"));
    await new GitHubCodeHost(new TestOctokit({ auth: "ghs_test" }), "octo", "ml", () => Promise.resolve(gh.APP_LOGIN)).react(5, "rocket");
    expect(takeContractProblems()).toEqual([]);
  });
});
