import { loadRepoConfig, type RepoConfigSource } from "../../config/load-repo-config.js";
import type { ParseFile } from "../../core/limits/parse-repository-file.js";
import { enqueueDeploy } from "../../jobs/enqueue-deploy.js";
import { findPromotableRun } from "../../jobs/find-promotable-run.js";
import type { CodeHost } from "../../ports/code-host.js";
import type { JobStore } from "../../ports/job-store.js";
import type { Logger } from "../../ports/logger.js";

export interface MergedPullRequest {
  readonly number: number;
  readonly headSha: string;
  readonly headRef: string;
  readonly baseRef: string;
  readonly mergeSha: string | null;
  /** Who merged it: the promotion is theirs. */
  readonly mergedBy: string;
}

/**
 * A merged PR, with `deploy.on_merge` in the config of the default branch (as it is after the
 * merge, which a maintainer approved): its last `/train` is promoted when it trained the merged
 * head and passed its gates, judged by the gates that run was queued under (read from the default
 * branch before the merge, so a PR cannot loosen the gates of its own model). A PR that does not
 * qualify is logged and left alone; the PR and its head key the job, so a redelivered webhook
 * promotes once.
 */
export async function promoteOnMerge(params: {
  host: CodeHost;
  /** Where the default branch's config is read (the bot's mirror). */
  configSource: RepoConfigSource;
  store: JobStore;
  parse: ParseFile;
  log: Logger;
  installationId: number;
  pr: MergedPullRequest;
  /** Whether this bot has an inference service to roll. */
  deployEnabled: boolean;
  wake: () => void;
}): Promise<void> {
  const { host, pr, log } = params;
  // Without an inference service (MLOPS_DEPLOY_SERVICE) there is nothing to roll: the config is not even read.
  if (!params.deployEnabled) return;
  const loaded = await loadRepoConfig(params.configSource);
  if (!loaded.ok || !loaded.value.deploy.on_merge) return;
  const repo = { owner: host.owner, name: host.repo, installationId: params.installationId };
  const run = await findPromotableRun({ store: params.store, parse: params.parse, repo, pr: pr.number, headSha: pr.headSha });
  if (!run.ok) {
    log.info({ pr: pr.number, why: run.error.split("\n")[0] }, "merged PR not promoted");
    return;
  }
  await enqueueDeploy({
    host,
    store: params.store,
    log,
    repo,
    key: `merge:${pr.number}:${pr.headSha}`,
    pr: pr.number,
    headSha: pr.headSha,
    headRef: pr.headRef,
    baseRef: pr.baseRef,
    requestedBy: pr.mergedBy,
    commentId: null,
    input: { run: run.value, trigger: "merge", mergeSha: pr.mergeSha },
    wake: params.wake,
  });
}
