import type { NewJob } from "../../src/core/jobs/job.js";

/** A realistic /train job request; override what a test cares about. */
export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    kind: "train",
    key: "comment:1:0",
    group: "octo-org/ml-repo#1:train",
    repo: { owner: "octo-org", name: "ml-repo", installationId: 2 },
    pr: 1,
    headSha: "c0ffee0000000000000000000000000000000001",
    headRef: "feature",
    baseRef: "main",
    baseSha: "ba5e000000000000000000000000000000000001",
    requestedBy: "octocat",
    commentId: 1,
    input: { overrides: [] },
    ...overrides,
  };
}
