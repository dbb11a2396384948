import { createServer } from "node:http";
import nock from "nock";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { SqliteJobStore } from "../../../src/adapters/stores/sqlite-job-store.js";
import { DEFAULT_PRICES } from "../../../src/core/costs/price-table.js";
import { estimateRunCost } from "../../../src/core/costs/estimate-run-cost.js";
import type { RunResources } from "../../../src/core/costs/run-resources.js";
import { postWeeklyCostSummary } from "../../../src/flows/costs/post-weekly-cost-summary.js";
import { taskRoute } from "../../../src/http/task-route.js";
import type { CodeHost } from "../../../src/ports/code-host.js";
import { newJob, newTrainInput, newTrainingResult } from "../../helpers/new-job.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { repositoryHost } from "../../../src/adapters/github/repository-host.js";
import * as gh from "../../helpers/github-responses.js";
import { testProbot } from "../../helpers/test-probot.js";

const log = pino({ level: "silent" });
const ISSUE = { owner: "octo-org", repo: "ml-platform", number: 12 };

/** A finished training run in the store, with the resources and estimate the bot records. */
async function finishedRun(store: SqliteJobStore, key: string, p: { repo: string; pr: number; runner: "local" | "docker" | "cloud-run"; minutes: number; vcpu: number; memoryGiB: number }) {
  const [owner, name] = p.repo.split("/") as [string, string];
  const resources: RunResources = { runner: p.runner, wallMs: p.minutes * 60_000, vcpu: p.vcpu, memoryGiB: p.memoryGiB, gpu: null, basis: p.runner === "local" ? "host" : "limits" };
  const config = { ...newTrainInput().config, runner: p.runner };
  const { job } = await store.enqueue(newJob({ key, group: `${p.repo}#${p.pr}:train`, repo: { owner, name, installationId: 2 }, pr: p.pr, input: { overrides: [], config } }));
  await store.transition(job.id, "queued", "running");
  const result = { ...newTrainingResult(), durationMs: resources.wallMs, resources, cost: estimateRunCost({ resources, prices: DEFAULT_PRICES }) };
  await store.transition(job.id, "running", "succeeded", { result });
}

/** A code host that records the comments it is asked to post (GitHub itself is out of reach). */
function recordingHost(comments: Array<{ repo: string; issue: number; body: string }>, failures = { left: 0 }) {
  return (repo: { owner: string; name: string }) =>
    Promise.resolve({
      comment: (issue: number, body: string) => {
        if (failures.left-- > 0) return Promise.reject(new Error("GitHub answered 502"));
        comments.push({ repo: `${repo.owner}/${repo.name}`, issue, body });
        return Promise.resolve();
      },
    } as unknown as CodeHost);
}

/** An hour into the Monday after now: the week just ended holds the runs finished now. */
function nextMondayMorning(): Date {
  const now = new Date();
  const days = ((8 - now.getUTCDay()) % 7) || 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, 1));
}

describe("the weekly cost summary", () => {
  it("is posted once per week to the configured issue, from a store holding runs of two repositories on three runners", async () => {
    const store = new SqliteJobStore(path.join(tempDir(), "jobs.sqlite"));
    await finishedRun(store, "a", { repo: "octo-org/churn", pr: 7, runner: "cloud-run", minutes: 60, vcpu: 2, memoryGiB: 4 });
    await finishedRun(store, "b", { repo: "octo-org/churn", pr: 7, runner: "cloud-run", minutes: 30, vcpu: 2, memoryGiB: 4 });
    await finishedRun(store, "c", { repo: "octo-org/churn", pr: 8, runner: "local", minutes: 45, vcpu: 8, memoryGiB: 32 });
    await finishedRun(store, "d", { repo: "octo-org/fraud", pr: 3, runner: "cloud-run", minutes: 120, vcpu: 4, memoryGiB: 16 });
    await finishedRun(store, "e", { repo: "octo-org/fraud", pr: 4, runner: "docker", minutes: 15, vcpu: 2, memoryGiB: 4 });
    const comments: Array<{ repo: string; issue: number; body: string }> = [];
    const deps = { store, costs: { prices: DEFAULT_PRICES, monthlyBudget: 50, summaryIssue: ISSUE }, hostFor: recordingHost(comments), log };
    const monday = nextMondayMorning();

    expect(await postWeeklyCostSummary(deps, monday)).toBe("posted");
    expect(await postWeeklyCostSummary(deps, new Date(monday.getTime() + 3_600_000))).toBe("already posted");
    expect(comments).toHaveLength(1);
    const [{ repo, issue, body }] = comments as [(typeof comments)[number]];
    expect([repo, issue]).toEqual(["octo-org/ml-platform", 12]);
    // 1.5 h × (2 × 0.0648 + 4 × 0.0072) + 2 h × (4 × 0.0648 + 16 × 0.0072); local and docker at 0.
    const churn = 1.5 * (2 * 0.0648 + 4 * 0.0072);
    const fraud = 2 * (4 * 0.0648 + 16 * 0.0072);
    expect(body).toContain("<!-- mlops-bot:cost-summary -->");
    expect(body).toContain(`**5** training runs, **4.50** h, estimated **${(churn + fraud).toFixed(2)} USD**.`);
    expect(body).toContain(
      [
        "| Repository | Runner | Runs | Hours | Estimated cost |",
        "| --- | --- | ---: | ---: | ---: |",
        `| octo-org/fraud | cloud-run | 1 | 2.00 | ${fraud.toFixed(2)} USD |`,
        `| octo-org/churn | cloud-run | 2 | 1.50 | ${churn.toFixed(2)} USD |`,
        "| octo-org/churn | local | 1 | 0.75 | 0 USD |",
        "| octo-org/fraud | docker | 1 | 0.25 | 0 USD |",
      ].join("\n"),
    );
    expect(body).toContain(`1. octo-org/fraud#3: ${fraud.toFixed(2)} USD (1 run)\n2. octo-org/churn#7: ${churn.toFixed(2)} USD (2 runs)`);
    expect(body).not.toContain("#8:");
    expect(body).toMatch(/Budget: 50\.00 USD a month\. This week: \d+ % of a week's share \(\d+\.\d\d USD\); \w+ \d{4} so far: /);
    await store.close();
  });

  it("tries again on the next tick when posting failed, and does nothing without an issue", async () => {
    const store = new SqliteJobStore(path.join(tempDir(), "jobs.sqlite"));
    const comments: Array<{ repo: string; issue: number; body: string }> = [];
    const deps = { store, costs: { prices: DEFAULT_PRICES, monthlyBudget: undefined, summaryIssue: ISSUE }, hostFor: recordingHost(comments, { left: 1 }), log };
    await expect(postWeeklyCostSummary(deps, nextMondayMorning())).rejects.toThrow("GitHub answered 502");
    expect(await postWeeklyCostSummary(deps, nextMondayMorning())).toBe("posted");
    expect(comments[0]?.body).toContain("**0** training runs, **0.00** h, estimated **0 USD**.");
    expect(comments[0]?.body).not.toContain("Budget");
    expect(await postWeeklyCostSummary({ ...deps, costs: { ...deps.costs, summaryIssue: undefined } })).toBe("off");
    await store.close();
  });
});

describe("the weekly cost summary on GitHub", () => {
  it("finds the issue's repository installation as the App, and comments there as that installation", async () => {
    const store = new SqliteJobStore(path.join(tempDir(), "jobs.sqlite"));
    await finishedRun(store, "a", { repo: "octo-org/churn", pr: 7, runner: "cloud-run", minutes: 60, vcpu: 2, memoryGiB: 4 });
    const api = nock("https://api.github.com");
    api.get("/repos/octo-org/ml-platform/installation").reply(200, gh.repoInstallation({ id: 77 }));
    api.post("/app/installations/77/access_tokens").reply(201, gh.installationToken("ghs_summary"));
    let posted = "";
    api.post("/repos/octo-org/ml-platform/issues/12/comments", (body: { body: string }) => ((posted = body.body), true)).reply(201, gh.issueComment({ id: 900, issue: 12 }));
    const deps = { store, costs: { prices: DEFAULT_PRICES, monthlyBudget: undefined, summaryIssue: ISSUE }, hostFor: repositoryHost(testProbot()), log };
    expect(await postWeeklyCostSummary(deps, nextMondayMorning())).toBe("posted");
    expect(posted).toContain("| octo-org/churn | cloud-run | 1 | 1.00 | 0.16 USD |");
    await store.close();
  });
});

describe("POST /tasks/weekly-cost-summary (for Cloud Scheduler)", () => {
  it("runs the task only for the bearer token, and does not exist without one", async () => {
    let runs = 0;
    const route = (token: string | undefined) => taskRoute({ path: "/tasks/weekly-cost-summary", token, run: () => Promise.resolve(`posted ${++runs}`), log });
    const token = "s3cret-token-for-the-scheduler";
    const handlers = [route(token)];
    const server = createServer((req, res) => {
      if (!handlers.some((h) => h(req, res))) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tasks/weekly-cost-summary`;
    try {
      expect((await fetch(url, { method: "POST" })).status).toBe(401);
      expect((await fetch(url, { method: "POST", headers: { authorization: "Bearer s3cret-token-for-the-schedulex" } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(405);
      expect(runs).toBe(0);
      const ok = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });
      expect([ok.status, await ok.json()]).toEqual([200, { outcome: "posted 1" }]);
      handlers[0] = route(undefined);
      expect((await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
      expect(runs).toBe(1);
    } finally {
      server.close();
    }
  });
});
