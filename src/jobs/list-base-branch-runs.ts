import { isKind, isReadable, type TrainJob } from "../core/jobs/job.js";
import type { JobStore } from "../ports/job-store.js";

/**
 * The successful training runs of `job`'s base branch, oldest first: the runs a baseline may come
 * from. Only runs of the base repository's own branch count: a fork's branch of the same name
 * (`contributor/repo:main`) is code anyone can write, so its numbers never become what other PRs
 * are measured against. A run whose record does not say where its commit came from (made before
 * the bot kept `headRepo`) counts only if the bot queued it for a push to the default branch.
 */
export async function listBaseBranchRuns(store: Pick<JobStore, "list">, job: Pick<TrainJob, "repo" | "baseRef">): Promise<TrainJob[]> {
  if (!job.baseRef) return [];
  const own = `${job.repo.owner}/${job.repo.name}`.toLowerCase();
  const runs = await store.list({ kind: "train", state: "succeeded", repo: { owner: job.repo.owner, name: job.repo.name }, headRef: job.baseRef });
  const fromOwnRepo = (run: TrainJob) => run.input.onDefaultBranch === true || run.input.headRepo?.toLowerCase() === own;
  return runs.filter(isReadable).filter((run): run is TrainJob => isKind(run, "train") && fromOwnRepo(run));
}
