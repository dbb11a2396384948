import type { Context } from "probot";
import { GitHubCodeHost } from "../adapters/github/github-code-host.js";
import { serializeByKey } from "../flows/backlog/serialize-by-key.js";
import { syncBacklogIssue } from "../flows/backlog/sync-backlog-issue.js";
import type { Issue } from "../ports/code-host.js";
import type { FileParser } from "../ports/file-parser.js";
import type { JobStore } from "../ports/job-store.js";
import type { SourceProvider } from "../ports/source-provider.js";

/**
 * `issues.opened`, `issues.edited` (the body) and `issues.labeled`: hand off to the backlog sync,
 * which decides whether the issue is a backlog, one event per issue at a time. Title-only edits
 * change nothing it shows.
 */
export function handleIssues(deps: { store: JobStore; sources: Pick<SourceProvider, "readDefaultBranchFile">; parser: FileParser; appLogin: () => Promise<string>; jobPageUrl?: ((jobId: string) => string) | undefined }) {
  const oneAtATime = serializeByKey();
  return async (context: Context<"issues.opened" | "issues.edited" | "issues.labeled">): Promise<void> => {
    const { payload } = context;
    const { issue, repository, installation, sender } = payload;
    if (!installation) return;
    const previousBody = payload.action === "edited" ? payload.changes.body?.from : undefined;
    if (payload.action === "edited" && previousBody === undefined) return;
    const host = new GitHubCodeHost(context.octokit, repository.owner.login, repository.name, deps.appLogin, deps.jobPageUrl, repository.clone_url);
    const run = () =>
      syncBacklogIssue({
        host,
        configSource: { host, sources: deps.sources, defaultBranch: repository.default_branch },
        store: deps.store,
        deliveryId: context.id,
        event: {
          action: payload.action,
          issue: {
            number: issue.number,
            body: issue.body ?? "",
            state: issue.state === "closed" ? "closed" : "open",
            stateReason: toStateReason(issue.state_reason),
            labels: (issue.labels ?? []).map((l) => l.name),
            updatedAt: issue.updated_at,
          },
          previousBody,
          addedLabel: payload.action === "labeled" ? payload.label?.name : undefined,
          senderIsBot: sender.type === "Bot",
        },
        parse: deps.parser.parse,
        log: context.log.child({ delivery: context.id, repo: repository.full_name, issue: issue.number }),
      });
    await oneAtATime(`${repository.full_name}#${issue.number}`, run);
  };
}

const STATE_REASONS = ["completed", "not_planned", "reopened", "duplicate"] as const;

function toStateReason(reason: string | null | undefined): Issue["stateReason"] {
  return STATE_REASONS.find((r) => r === reason) ?? null;
}
