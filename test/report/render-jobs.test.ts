import { describe, expect, it } from "vitest";
import type { JobFields, StoredJob, UnreadableJob } from "../../src/core/jobs/job.js";
import { renderJobDetails } from "../../src/report/jobs/render-job-details.js";
import { renderJobList, renderJson } from "../../src/report/jobs/render-job-list.js";
import { newJob } from "../helpers/new-job.js";

const at = Date.UTC(2026, 11, 1, 9, 30, 0);

type Envelope = Partial<Omit<JobFields, "input" | "result">> & { kind?: "train" | "build" };

function job(overrides: Envelope = {}): StoredJob {
  const { kind, ...fields } = overrides;
  return {
    ...newJob(kind === "build" ? { kind } : {}),
    id: "6f1c2a0e-0000-4000-8000-000000000001",
    state: "queued",
    checkRunId: null,
    reason: null,
    result: null,
    cancelRequested: false,
    reported: false,
    worker: null,
    leaseExpiresAt: null,
    createdAt: at,
    startedAt: null,
    finishedAt: null,
    ...fields,
  };
}

/** A job whose stored input and result do not fit its kind (hand-edited, or from another bot): shown as stored. */
function damaged(overrides: Envelope & { input: unknown; result: unknown }): UnreadableJob {
  const { input, result, ...fields } = overrides;
  return { ...job(fields), input, result, problem: { file: "jobs.sqlite (job 6f1c2a0e)", message: "the stored job does not match its schema", path: "input.overrides.0.file" }, damage: "input" };
}

describe("renderJobList", () => {
  it("prints one line per job with where, commit, time and the reason on one line, and a legend for the marks", () => {
    const jobs = [
      job({ id: "a1", state: "running", cancelRequested: true, worker: "host:1:w" }),
      job({ id: "b2", kind: "build", pr: null, headRef: "main", state: "failed", reason: "The pipeline failed at stage train:\nKeyError: 'lr'", finishedAt: at }),
      job({ id: "c3", state: "succeeded", reported: true, reason: `${"x".repeat(70)}` }),
    ];
    expect(renderJobList(jobs)).toMatchInlineSnapshot(`
      "ID  KIND   STATE      WHERE                  COMMIT   CREATED (UTC)        REASON
      a1  train  running*   octo-org/ml-repo#1     c0ffee0  2026-12-01 09:30:00
      b2  build  failed!    octo-org/ml-repo@main  c0ffee0  2026-12-01 09:30:00  The pipeline failed at stage train: KeyError: 'lr'
      c3  train  succeeded  octo-org/ml-repo#1     c0ffee0  2026-12-01 09:30:00  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…

      * cancel requested   ! ended, not yet reported on GitHub
      "
    `);
    expect(renderJobList([])).toBe("No jobs match.\n");
  });

  it("never sends a job's control characters to the terminal (a reason can quote a hostile pipeline's output)", () => {
    const hostile = damaged({ state: "failed", reason: "boom\u001b]0;pwned\u0007\u001b[2J\u009b31m", result: { tail: "\u009b2J\u001b[H" }, input: { "k\u001b": "v" } });
    for (const text of [renderJobList([hostile]), renderJobDetails(hostile), renderJson(hostile)]) {
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
    expect(renderJobList([hostile])).toContain("boom\uFFFD]0;pwned\uFFFD\uFFFD[2J\uFFFD31m");
    expect(JSON.parse(renderJson(hostile))).toEqual(JSON.parse(JSON.stringify(hostile)));
  });
});

describe("renderJobDetails", () => {
  it("prints every field, the lease and the JSON input and result", () => {
    const text = renderJobDetails(
      damaged({ state: "running", worker: "host:1:w", leaseExpiresAt: at + 60_000, startedAt: at, checkRunId: 42, input: { overrides: [{ key: "train.lr", value: 0.1 }] }, result: { metrics: { accuracy: 0.9 } } }),
    );
    expect(text).toMatchInlineSnapshot(`
      "Job 6f1c2a0e-0000-4000-8000-000000000001
        kind          train
        state         running
        key           comment:1:0
        group         octo-org/ml-repo#1:train
        where         octo-org/ml-repo#1 (installation 2)
        head          feature c0ffee0000000000000000000000000000000001
        base          main ba5e000000000000000000000000000000000001
        requested by  @octocat (comment 1)
        check run     42
        worker        host:1:w, lease until 2026-12-01 09:31:00 UTC
        created       2026-12-01 09:30:00 UTC
        started       2026-12-01 09:30:00 UTC
        finished      -
        reason        -
        damaged       input: jobs.sqlite (job 6f1c2a0e): the stored job does not match its schema (at \`input.overrides.0.file\`).
        input
        {
          "overrides": [
            {
              "key": "train.lr",
              "value": 0.1
            }
          ]
        }
        result
        {
          "metrics": {
            "accuracy": 0.9
          }
        }
      "
    `);
  });
});
