import type { RepoConfig } from "../config/repo-config-schema.js";
import type { JobRepo } from "../core/jobs/job.js";
import { errorLogFields } from "../report/render-error.js";
import { queueJob, type JobIntake } from "./queue-job.js";
import type { RunnerRegistry } from "./runner-registry.js";
import { TRAIN_CHECK, trainInput } from "../core/jobs/train-job.js";

/**
 * `train_on_push`: a push to the default branch trains its new head, compared with the commit
 * before it. Such a run is the only kind that writes the default branch's layer of the shared
 * DVC cache (pull requests' jobs restore from it) and is the "last run on the base branch" that
 * pull requests compare with when the base commit has no metrics. Idempotent on the delivery;
 * a newer push supersedes the training of an older one. A config naming a runner this bot does
 * not have queues nothing: the refusal `/train` would reply is logged (a push has no one to answer).
 */
export async function enqueuePushTraining(params: JobIntake & {
  repo: JobRepo;
  deliveryId: string;
  branch: string;
  sha: string;
  before: string | null;
  requestedBy: string;
  config: RepoConfig;
  runners: Pick<RunnerRegistry, "missing">;
}): Promise<boolean> {
  const { repo, sha, branch } = params;
  const noRunner = params.runners.missing(params.config.runner);
  if (noRunner) {
    params.log.warn(errorLogFields(noRunner), "push: train_on_push refused: the configured runner is not on this bot");
    return false;
  }
  const { created } = await queueJob(params, {
    job: {
      kind: "train",
      key: `push:${params.deliveryId}:train`,
      group: `${repo.owner}/${repo.name}@${branch}:train`,
      repo,
      pr: null,
      headSha: sha,
      headRef: branch,
      baseRef: params.before ? branch : null,
      baseSha: params.before,
      requestedBy: params.requestedBy,
      commentId: null,
      input: { ...trainInput({ overrides: [], config: params.config, onDefaultBranch: true, headRepo: `${repo.owner}/${repo.name}` }) },
    },
    check: { name: TRAIN_CHECK, output: { title: "Queued", summary: `Training \`${sha.slice(0, 7)}\` on \`${branch}\` (pushed by @${params.requestedBy}).` } },
    supersededBecause: `Superseded by a newer push to \`${branch}\`.`,
  });
  return created;
}
