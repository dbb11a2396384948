import type { Context } from "probot";
import { GitHubCodeHost } from "../adapters/github/github-code-host.js";
import { recordHeadSeen } from "../commands/head-sightings.js";
import { startPullRequestDataCheck } from "../flows/data-check/start-pull-request-data-check.js";
import type { JobStore } from "../ports/job-store.js";
import type { SourceProvider } from "../ports/source-provider.js";

/** `pull_request` opened, synchronize (a push) and reopened, on an open PR: note the head, and hand off to the data check. */
export function handlePullRequest(deps: { store: JobStore; sources: Pick<SourceProvider, "readDefaultBranchFile">; wake: () => void; appLogin: () => Promise<string>; jobPageUrl?: ((jobId: string) => string) | undefined }) {
  return async (context: Context<"pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened">): Promise<void> => {
    const { pull_request: pr, repository, installation, sender } = context.payload;
    if (!installation || pr.state !== "open") return;
    // A sighting of the head, at GitHub's time of the change (for /ok-to-train: what a maintainer could have seen).
    const changed = Date.parse(pr.updated_at);
    const at = new Date(Number.isNaN(changed) ? Date.now() : Math.min(changed, Date.now()));
    await recordHeadSeen(deps.store, { owner: repository.owner.login, repo: repository.name, pr: pr.number, sha: pr.head.sha, at });
    const host = new GitHubCodeHost(context.octokit, repository.owner.login, repository.name, deps.appLogin, deps.jobPageUrl, repository.clone_url);
    await startPullRequestDataCheck({
      host,
      configSource: { host, sources: deps.sources, defaultBranch: repository.default_branch },
      store: deps.store,
      installationId: installation.id,
      deliveryId: context.id,
      action: context.payload.action,
      pr: { number: pr.number, headSha: pr.head.sha, headRef: pr.head.ref, baseSha: pr.base.sha, baseRef: pr.base.ref },
      sender: sender.login,
      log: context.log.child({ delivery: context.id, repo: repository.full_name, pr: pr.number }),
      wake: deps.wake,
    });
  };
}
