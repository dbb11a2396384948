import type { Context } from "probot";
import { GitHubCodeHost } from "../adapters/github/github-code-host.js";
import { startPullRequestDataCheck } from "../flows/data-check/start-pull-request-data-check.js";
import type { JobStore } from "../ports/job-store.js";

/** `pull_request` opened, synchronize (a push) and reopened, on an open PR: hand off to the data check. */
export function handlePullRequest(deps: { store: JobStore; wake: () => void; appLogin: () => Promise<string>; jobPageUrl?: ((jobId: string) => string) | undefined }) {
  return async (context: Context<"pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened">): Promise<void> => {
    const { pull_request: pr, repository, installation, sender } = context.payload;
    if (!installation || pr.state !== "open") return;
    await startPullRequestDataCheck({
      host: new GitHubCodeHost(context.octokit, repository.owner.login, repository.name, deps.appLogin, deps.jobPageUrl),
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
