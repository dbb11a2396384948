import { DEPLOY_CHECK, deployGroup, type DeployInput } from "../core/jobs/deploy-job.js";
import type { JobRepo } from "../core/jobs/job.js";
import { queueJob, type JobIntake } from "./queue-job.js";

/**
 * Queues a promotion of `input.run` (idempotent on `key`), supersedes the repository's older
 * promotions still queued or running (the newest wins), and creates the queued
 * `mlops-bot/deploy` check run on the promoted commit. Returns false on a redelivery.
 */
export async function enqueueDeploy(params: JobIntake & {
  repo: JobRepo;
  key: string;
  pr: number;
  headSha: string;
  headRef: string | null;
  baseRef: string | null;
  requestedBy: string;
  commentId: number | null;
  input: DeployInput;
}): Promise<boolean> {
  const { created } = await queueJob(params, {
    job: {
      kind: "deploy",
      key: params.key,
      group: deployGroup(params.repo),
      repo: params.repo,
      pr: params.pr,
      headSha: params.headSha,
      headRef: params.headRef,
      baseRef: params.baseRef,
      baseSha: null,
      requestedBy: params.requestedBy,
      commentId: params.commentId,
      input: { ...params.input },
    },
    check: {
      name: DEPLOY_CHECK,
      output: { title: "Queued", summary: `Promoting the model of \`${params.headSha.slice(0, 7)}\` (#${params.pr}, train job \`${params.input.run.jobId}\`), requested by @${params.requestedBy}.` },
    },
    supersededBecause: `Superseded by a newer promotion (#${params.pr}, ${params.headSha.slice(0, 7)}).`,
  });
  return created;
}
