import type { RepoConfig } from "../config/repo-config-schema.js";
import type { PullRequest } from "../ports/code-host.js";
import type { JobStore } from "../ports/job-store.js";

/** The fact that records a maintainer's approval of one fork PR head commit. */
export function approvalKey(params: { owner: string; repo: string; pr: number; sha: string }): string {
  return `approval:${params.owner}/${params.repo}#${params.pr}@${params.sha}`;
}

/**
 * Fork PRs run nothing unless the config allows approvals and this exact commit (the PR's head,
 * or `sha` for a re-run of an earlier one) was approved with `/ok-to-train`. Returns the refusal
 * to show, or undefined when it may run. `/train`, `/build`, Re-run and Train again all ask here.
 */
export async function checkForkPolicy(params: {
  pr: PullRequest;
  sha?: string;
  config: Pick<RepoConfig, "forks">;
  store: JobStore;
  owner: string;
  repo: string;
  command: string;
}): Promise<string | undefined> {
  const { pr, config, command } = params;
  const sha = params.sha ?? pr.headSha;
  if (!pr.isFork) return undefined;
  if (config.forks === "deny") {
    return `This pull request comes from a fork (\`${pr.headRepo}\`), and this repository's config (\`forks: deny\`) runs nothing for forks. Nothing was run.`;
  }
  const approved = await params.store.getFact(approvalKey({ owner: params.owner, repo: params.repo, pr: pr.number, sha }));
  if (approved) return undefined;
  const how = sha === pr.headSha ? "`/ok-to-train`" : `\`/ok-to-train ${sha}\``;
  return `This pull request comes from a fork (\`${pr.headRepo}\`). A maintainer must review commit \`${sha.slice(0, 7)}\` and comment ${how} before \`/${command}\` runs it; a new push needs a new approval.`;
}
