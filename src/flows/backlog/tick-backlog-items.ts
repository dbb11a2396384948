import { loadRepoConfig, type RepoConfigSource } from "../../config/load-repo-config.js";
import { ConfigError } from "../../core/errors.js";
import type { ParseFile } from "../../core/limits/parse-repository-file.js";
import { errorLogFields } from "../../report/render-error.js";
import type { IssueTickOutcome } from "../../core/backlog/issue-tick-outcome.js";
import type { ItemReference } from "../../core/backlog/item-reference.js";
import type { CodeHost } from "../../ports/code-host.js";
import type { JobStore } from "../../ports/job-store.js";
import type { Logger } from "../../ports/logger.js";
import { renderBacklogTickNotes } from "../../report/backlog/render-backlog-tick-notes.js";
import { tickIssueItems } from "./tick-issue-items.js";

export interface TickBacklogRequest {
  readonly host: CodeHost;
  /** Where the default branch's config is read (the bot's mirror). */
  readonly configSource: RepoConfigSource;
  readonly store: JobStore;
  /** The merged pull request. */
  readonly pr: { readonly number: number; readonly body: string };
  /** Reads the pull request's body and issue bodies as backlogs: the bot's parse workers. */
  readonly parse: ParseFile;
  readonly log: Logger;
}

/**
 * A pull request was merged: ticks the backlog items its body says it completes
 * (`Completes #12 [AI] 2.6`) in this repository's issues; the `issues.edited` event that follows
 * updates the issue's progress and closes it when that was the last item. What could not be
 * ticked (ambiguous or unknown items, missing issues, issues that are not backlogs, other
 * repositories) is listed in one comment on the pull request. Once per pull request: a
 * redelivered event does nothing.
 */
export async function tickBacklogItems(req: TickBacklogRequest): Promise<void> {
  const { host, store, pr, log } = req;
  // The body is the pull request author's: read in the parse workers, under its byte cap, never on this thread.
  const read = await req.parse({ kind: "pr-body", file: `pull request #${pr.number}'s body`, text: pr.body });
  if (!read.ok) {
    log.warn({ problems: read.error.map((p) => p.message) }, "pull request body not read for backlog items: nothing ticked");
    return;
  }
  const references = read.value;
  if (references.length === 0) return;
  const key = `backlog-ticks:${host.owner}/${host.repo}#${pr.number}`;
  if (!(await store.markCommandSeen(key))) {
    log.info("merged pull request already handled (redelivery): nothing to do");
    return;
  }
  try {
    await tickOnce(req, references);
  } catch (e) {
    await store.forgetCommand(key);
    throw e;
  }
}

async function tickOnce(req: TickBacklogRequest, references: readonly ItemReference[]): Promise<void> {
  const { host, pr, log } = req;
  const loaded = await loadRepoConfig(req.configSource);
  if (!loaded.ok) {
    log.warn(errorLogFields(new ConfigError(loaded.error)), "repository config is invalid: backlog items not ticked");
    return;
  }
  const here = `${host.owner}/${host.repo}`.toLowerCase();
  const foreign = references.filter((r) => r.repo !== null && r.repo.toLowerCase() !== here);
  const byIssue = new Map<number, ItemReference[]>();
  for (const r of references) {
    if (foreign.includes(r)) continue;
    byIssue.set(r.issue, [...(byIssue.get(r.issue) ?? []), r]);
  }
  const outcomes: IssueTickOutcome[] = [];
  for (const [issue, refs] of byIssue) {
    outcomes.push(await tickIssueItems({ host, issue, references: refs, config: loaded.value.backlog, parse: req.parse, log: log.child({ issue }) }));
  }
  const notes = renderBacklogTickNotes({ outcomes, foreign });
  if (notes !== null) await host.comment(pr.number, notes);
}
