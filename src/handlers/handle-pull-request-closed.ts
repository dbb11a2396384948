import type { Context } from "probot";
import { GitHubCodeHost } from "../adapters/github/github-code-host.js";
import { tickBacklogItems } from "../flows/backlog/tick-backlog-items.js";
import type { JobStore } from "../ports/job-store.js";

/** `pull_request.closed`, merged only: hand off to tick the backlog items its body completes. */
export function handlePullRequestClosed(deps: { store: JobStore; appLogin: () => Promise<string>; jobPageUrl?: ((jobId: string) => string) | undefined }) {
  return async (context: Context<"pull_request.closed">): Promise<void> => {
    const { pull_request: pr, repository, installation } = context.payload;
    if (!pr.merged || !pr.body || !installation) return;
    await tickBacklogItems({
      host: new GitHubCodeHost(context.octokit, repository.owner.login, repository.name, deps.appLogin, deps.jobPageUrl),
      store: deps.store,
      pr: { number: pr.number, body: pr.body },
      log: context.log.child({ delivery: context.id, repo: repository.full_name, pr: pr.number }),
    });
  };
}
