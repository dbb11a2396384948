import type { ImageBuildPlan } from "../core/images/plan-image-builds.js";
import type { JobRepo } from "../core/jobs/job.js";
import { BUILD_CHECK, buildGroup, type BuildInput } from "../core/jobs/build-job.js";
import { queueJob, type JobIntake } from "./queue-job.js";

/**
 * Queues a build of `plans` at `sha` (idempotent on `key`), supersedes older builds of the same
 * PR or branch, and creates the queued `mlops-bot/build` check run. Returns false when the key
 * was already used (a redelivery).
 */
export async function enqueueBuild(params: JobIntake & {
  repo: JobRepo;
  key: string;
  sha: string;
  ref: string;
  pr: number | null;
  requestedBy: string;
  commentId: number | null;
  plans: readonly ImageBuildPlan[];
  /** The repository's web page as GitHub gives it (`html_url`), for the image's source label. */
  source: string;
}): Promise<boolean> {
  const input: BuildInput = { plans: params.plans, source: params.source };
  const group = buildGroup(params.repo, params.pr ? `pr-${params.pr}` : params.ref);
  const { created } = await queueJob(params, {
    job: {
      kind: "build",
      key: params.key,
      group,
      repo: params.repo,
      pr: params.pr,
      headSha: params.sha,
      headRef: params.ref,
      baseRef: null,
      baseSha: null,
      requestedBy: params.requestedBy,
      commentId: params.commentId,
      input: { ...input },
    },
    check: {
      name: BUILD_CHECK,
      output: { title: "Queued", summary: `Building ${params.plans.map((p) => `\`${p.tags[0]}\``).join(", ")}, requested by @${params.requestedBy}.` },
    },
    supersededBecause: `Superseded by a newer build of ${params.sha.slice(0, 7)}.`,
  });
  return created;
}
