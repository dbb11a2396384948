import type { StoredJob } from "../../core/jobs/job.js";
import { pullRequestJobFields, queueJob, type JobIntake } from "../../jobs/queue-job.js";
import { DATA_CHECK, diffGroup, type DiffInput } from "../../core/jobs/diff-job.js";
import type { PullRequest } from "../../ports/code-host.js";

/**
 * Queues the data check of a pull request's head (a `diff` job), supersedes the PR's older data
 * checks, and shows the queued check run `mlops-bot/data`. `key` makes it idempotent: the same
 * key (a delivery, a comment command) never queues twice. The worker does the rest.
 */
export async function queueDataCheck(params: JobIntake & {
  installationId: number;
  pr: Pick<PullRequest, "number" | "headSha" | "headRef" | "baseSha" | "baseRef">;
  key: string;
  requestedBy: string;
  commentId: number | null;
  input: DiffInput;
}): Promise<{ job: StoredJob; created: boolean }> {
  const { host, pr } = params;
  const repo = { owner: host.owner, name: host.repo, installationId: params.installationId };
  const group = diffGroup(repo, pr.number);
  return queueJob(params, {
    job: {
      kind: "diff",
      key: params.key,
      group,
      repo,
      ...pullRequestJobFields(pr),
      requestedBy: params.requestedBy,
      commentId: params.commentId,
      input: { ...params.input },
    },
    check: {
      name: DATA_CHECK,
      output: { title: "Queued", summary: `Comparing the DVC data, params and metrics of \`${pr.headSha.slice(0, 7)}\` with \`${pr.baseRef}\`. Asked by ${params.input.trigger}.` },
    },
    supersededBecause: `Superseded by a newer data check of #${pr.number} (${params.input.trigger}, \`${pr.headSha.slice(0, 7)}\`).`,
  });
}
