import { describe, expect, it } from "vitest";
import { previousWeek, summarizeCosts } from "../../../src/core/costs/summarize-costs.js";
import type { TrainJob } from "../../../src/core/jobs/job.js";
import { newJob, newTrainingResult } from "../../helpers/new-job.js";

const DAY = 86_400_000;
const week = previousWeek(new Date("2026-12-01T10:00:00Z"));

/** A train job that ended at `finishedAt`, with the resources and cost a run of the bot records. */
function run(p: { repo: string; pr: number | null; runner: string; hours: number; amount?: number; currency?: string; finishedAt: number }): TrainJob {
  const [owner, name] = p.repo.split("/") as [string, string];
  const wallMs = p.hours * 3_600_000;
  const result = {
    ...newTrainingResult(),
    durationMs: wallMs,
    resources: { runner: p.runner, wallMs, vcpu: 2, memoryGiB: 4, gpu: null, basis: "limits" as const },
    ...(p.amount === undefined ? {} : { cost: { amount: p.amount, currency: p.currency ?? "USD" } }),
  };
  const request = newJob({ repo: { owner, name, installationId: 2 }, pr: p.pr });
  if (request.kind !== "train") throw new Error("a train job");
  return { ...request, id: `j${p.finishedAt}`, state: "succeeded", checkRunId: null, reason: null, cancelRequested: false, reported: true, worker: null, createdAt: 0, startedAt: p.finishedAt - wallMs, finishedAt: p.finishedAt, result };
}

describe("previousWeek", () => {
  it("is the last whole ISO week before now, Monday to Monday in UTC, with its ISO label", () => {
    expect(week).toEqual({ from: Date.parse("2026-11-23T00:00:00Z"), to: Date.parse("2026-11-30T00:00:00Z"), label: "2026-W48" });
    expect(previousWeek(new Date("2026-11-30T00:00:00Z")).label).toBe("2026-W48");
    expect(previousWeek(new Date("2026-11-29T23:59:59Z")).label).toBe("2026-W47");
    expect(previousWeek(new Date("2027-01-01T12:00:00Z")).label).toBe("2026-W52");
    expect(previousWeek(new Date("2027-01-04T12:00:00Z"))).toMatchObject({ from: Date.parse("2026-12-28T00:00:00Z"), label: "2026-W53" });
  });
});

describe("summarizeCosts", () => {
  const at = (days: number) => week.from + days * DAY;
  const jobs = [
    run({ repo: "octo-org/churn", pr: 7, runner: "cloud-run", hours: 1, amount: 0.26, finishedAt: at(1) }),
    run({ repo: "octo-org/churn", pr: 7, runner: "cloud-run", hours: 0.5, amount: 0.13, finishedAt: at(2) }),
    run({ repo: "octo-org/churn", pr: 8, runner: "local", hours: 2, amount: 0, finishedAt: at(2) }),
    run({ repo: "octo-org/fraud", pr: 3, runner: "cloud-run", hours: 3, amount: 0.9, finishedAt: at(3) }),
    run({ repo: "octo-org/fraud", pr: 4, runner: "docker", hours: 1, amount: 0.05, finishedAt: at(4) }),
    run({ repo: "octo-org/fraud", pr: 5, runner: "docker", hours: 1, amount: 0.04, finishedAt: at(5) }),
    run({ repo: "octo-org/fraud", pr: 6, runner: "docker", hours: 1, amount: 0.03, finishedAt: at(6) }),
    run({ repo: "octo-org/fraud", pr: 9, runner: "docker", hours: 1, amount: 0.02, finishedAt: at(6) }),
    run({ repo: "octo-org/fraud", pr: null, runner: "docker", hours: 0.25, finishedAt: at(6) }), // an older bot's run: no estimate
    run({ repo: "octo-org/fraud", pr: 10, runner: "cloud-run", hours: 9, amount: 5, finishedAt: at(-1) }), // the week before
    run({ repo: "octo-org/fraud", pr: 10, runner: "cloud-run", hours: 9, amount: 5, finishedAt: at(7) }), // this week
  ];

  it("sums the week's runs by repository and runner, and names the five most expensive pull requests", () => {
    const s = summarizeCosts({ jobs, from: week.from, to: week.to, currency: "USD" });
    expect(s).toMatchObject({ runs: 9, unestimated: 1, currency: "USD" });
    expect(s.hours).toBeCloseTo(10.75, 10);
    expect(s.amount).toBeCloseTo(1.43, 10);
    expect(s.rows.map((r) => [r.repo, r.runner, r.runs, Number(r.hours.toFixed(2)), Number(r.amount.toFixed(2))])).toEqual([
      ["octo-org/fraud", "cloud-run", 1, 3, 0.9],
      ["octo-org/churn", "cloud-run", 2, 1.5, 0.39],
      ["octo-org/fraud", "docker", 5, 4.25, 0.14],
      ["octo-org/churn", "local", 1, 2, 0],
    ]);
    expect(s.topPullRequests.map((p) => `${p.repo}#${p.pr}`)).toEqual(["octo-org/fraud#3", "octo-org/churn#7", "octo-org/fraud#4", "octo-org/fraud#5", "octo-org/fraud#6"]);
    expect(s.topPullRequests[1]).toMatchObject({ runs: 2 });
    expect(s.budget).toBeUndefined();
  });

  it("compares with the monthly budget: the week's share, and the month of the week's last day so far", () => {
    const s = summarizeCosts({ jobs, from: week.from, to: week.to, currency: "USD", monthlyBudget: 30 });
    // November has 30 days: a week is 7/30 of the budget; November so far holds the week before too.
    expect(s.budget?.weekShare).toBeCloseTo(7, 10);
    expect(s.budget?.monthStart).toBe(Date.parse("2026-11-01T00:00:00Z"));
    expect(s.budget?.monthToDate).toBeCloseTo(6.43, 10);
  });

  it("counts a run priced in another currency as not estimated", () => {
    const eur = [run({ repo: "octo-org/churn", pr: 1, runner: "cloud-run", hours: 1, amount: 0.2, currency: "EUR", finishedAt: at(1) })];
    expect(summarizeCosts({ jobs: eur, from: week.from, to: week.to, currency: "USD" })).toMatchObject({ runs: 1, unestimated: 1, amount: 0, topPullRequests: [] });
  });
});
