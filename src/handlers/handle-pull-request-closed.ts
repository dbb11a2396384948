import type { Context } from "probot";
import { GitHubCodeHost } from "../adapters/github/github-code-host.js";
import type { CommandRegistry } from "../commands/command-registry.js";
import { tickBacklogItems } from "../flows/backlog/tick-backlog-items.js";
import { promoteOnMerge } from "../flows/deploy/promote-on-merge.js";
import type { FileParser } from "../ports/file-parser.js";
import type { JobStore } from "../ports/job-store.js";
import type { SourceProvider } from "../ports/source-provider.js";

/** `pull_request.closed`, merged only: hand off to tick the backlog items its body completes, and to promote its model (`deploy.on_merge`). */
export function handlePullRequestClosed(deps: {
  store: JobStore;
  sources: Pick<SourceProvider, "readDefaultBranchFile">;
  parser: FileParser;
  registry: CommandRegistry;
  wake: () => void;
  appLogin: () => Promise<string>;
  jobPageUrl?: ((jobId: string) => string) | undefined;
}) {
  return async (context: Context<"pull_request.closed">): Promise<void> => {
    const { pull_request: pr, repository, installation } = context.payload;
    if (!pr.merged || !installation) return;
    const host = new GitHubCodeHost(context.octokit, repository.owner.login, repository.name, deps.appLogin, deps.jobPageUrl, repository.clone_url);
    const configSource = { host, sources: deps.sources, defaultBranch: repository.default_branch };
    const log = context.log.child({ delivery: context.id, repo: repository.full_name, pr: pr.number });
    if (pr.body) await tickBacklogItems({ host, configSource, store: deps.store, pr: { number: pr.number, body: pr.body }, parse: deps.parser.parse, log });
    await promoteOnMerge({
      host,
      configSource,
      store: deps.store,
      parse: deps.parser.parse,
      log,
      installationId: installation.id,
      pr: { number: pr.number, headSha: pr.head.sha, headRef: pr.head.ref, baseRef: pr.base.ref, mergeSha: pr.merge_commit_sha ?? null, mergedBy: pr.merged_by?.login ?? pr.user.login },
      deployEnabled: deps.registry.enabled.has("deploy"),
      wake: deps.wake,
    });
  };
}
