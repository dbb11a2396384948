import { loadRepoConfig, type RepoConfigSource } from "../../config/load-repo-config.js";
import { ConfigError } from "../../core/errors.js";
import { errorLogFields } from "../../report/render-error.js";
import type { RepoConfig } from "../../config/repo-config-schema.js";
import type { Backlog } from "../../core/backlog/backlog.js";
import { computeBacklogProgress } from "../../core/backlog/compute-backlog-progress.js";
import { confirmBacklogTransition } from "../../core/backlog/confirm-backlog-transition.js";
import { decideBacklogAction } from "../../core/backlog/decide-backlog-action.js";
import { hasBacklogLabel, isBacklogIssue } from "../../core/backlog/is-backlog-issue.js";
import type { ParseFile } from "../../core/limits/parse-repository-file.js";
import { formatProblem } from "../../core/problem.js";
import type { CodeHost, Issue } from "../../ports/code-host.js";
import type { JobStore } from "../../ports/job-store.js";
import type { Logger } from "../../ports/logger.js";
import { renderBacklogClose } from "../../report/backlog/render-backlog-close.js";
import { renderBacklogProgress } from "../../report/backlog/render-backlog-progress.js";
import { renderBacklogReopen } from "../../report/backlog/render-backlog-reopen.js";
import { renderBacklogUnread } from "../../report/backlog/render-backlog-unread.js";
import { upsertBacklogProgress } from "./upsert-backlog-progress.js";

/** An `issues` event as the backlog needs it, read from the webhook payload. */
export interface BacklogIssueEvent {
  readonly action: "opened" | "edited" | "labeled";
  readonly issue: Pick<Issue, "number" | "body" | "state" | "stateReason" | "labels"> & { readonly updatedAt: string };
  /** The body before an edit (`changes.body.from`). */
  readonly previousBody?: string | undefined;
  /** The label an `issues.labeled` event added. */
  readonly addedLabel?: string | undefined;
  readonly senderIsBot: boolean;
}

export interface SyncBacklogRequest {
  readonly host: CodeHost;
  /** Where the default branch's config is read (the bot's mirror). */
  readonly configSource: RepoConfigSource;
  readonly store: JobStore;
  readonly deliveryId: string;
  readonly event: BacklogIssueEvent;
  /** Reads an issue body as a backlog: the bot's parse workers (a pathological body costs one worker, never the bot). */
  readonly parse: ParseFile;
  readonly log: Logger;
}

/**
 * A backlog issue was opened, edited or labelled: keeps its sticky progress comment, then
 * closes it as completed when its last item is done, or reopens it when an item is open again
 * (each with a comment saying why). A redelivered event does nothing; an invalid config does
 * nothing but log a warning (no one asked the bot anything, so it does not comment).
 */
export async function syncBacklogIssue(req: SyncBacklogRequest): Promise<void> {
  const key = `issues:${req.deliveryId}`;
  if (!(await req.store.markCommandSeen(key))) {
    req.log.info("issue event already handled (redelivery): nothing to do");
    return;
  }
  try {
    await syncOnce(req);
  } catch (e) {
    await req.store.forgetCommand(key);
    throw e;
  }
}

async function syncOnce(req: SyncBacklogRequest): Promise<void> {
  const { host, store, event, log } = req;
  const { issue } = event;
  const loaded = await loadRepoConfig(req.configSource);
  if (!loaded.ok) {
    log.warn(errorLogFields(new ConfigError(loaded.error)), "repository config is invalid: issue event ignored");
    return;
  }
  const config = loaded.value.backlog;
  if (event.action === "labeled" && !hasBacklogLabel([event.addedLabel ?? ""], config.label)) return;
  const labelled = hasBacklogLabel(issue.labels, config.label);
  if (!labelled && config.detect !== "content") return;
  const read = await readBacklog(req.parse, issue.number, issue.body);
  if (!read.ok) {
    log.warn({ problems: read.error }, "backlog issue body not read: it is past the bot's limits");
    // A labelled issue is a backlog whatever its body: its progress comment says why it shows nothing.
    if (labelled) {
      await upsertBacklogProgress({ host, store, issueNumber: issue.number, body: renderBacklogUnread({ problems: read.error.map(formatProblem) }), updatedAt: issue.updatedAt });
    }
    return;
  }
  const backlog = read.value;
  if (!isBacklogIssue({ labels: issue.labels, backlog, config })) return;

  const progress = computeBacklogProgress(backlog);
  const written = await upsertBacklogProgress({
    host,
    store,
    issueNumber: issue.number,
    body: renderBacklogProgress({ progress, issueNumber: issue.number }),
    updatedAt: issue.updatedAt,
  });
  if (written === "stale-event") {
    log.info("a newer event for this issue was handled already: this one changes nothing");
    return;
  }
  const first = decideBacklogAction({ backlog, issue, config });
  if (first.action === "none") {
    log.debug({ reason: first.reason, progress: written }, "backlog issue in step");
    return;
  }
  const previous = event.previousBody === undefined ? null : await readBacklog(req.parse, issue.number, event.previousBody);
  // A previous body past the limits is as good as unknown: the transition is judged without it.
  const before = previous?.ok ? previous.value : null;
  const decision = confirmBacklogTransition({ decision: first, before, senderIsBot: event.senderIsBot });
  if (decision.action === "none") {
    log.info({ reason: decision.reason, would: first.action }, "backlog issue left as it is");
    return;
  }
  await applyDecision({ host, parse: req.parse, issue: issue.number, body: issue.body, backlog, config, before, senderIsBot: event.senderIsBot, log });
}

/**
 * Closes or reopens, after reading the issue again right before (GitHub has no compare-and-swap
 * on issues): a body changed since the event is parsed and decided again, a state changed since
 * (a person closed it, or another delivery did) is left as it is.
 */
async function applyDecision(params: {
  host: CodeHost;
  parse: ParseFile;
  issue: number;
  body: string;
  backlog: Backlog;
  config: RepoConfig["backlog"];
  before: Backlog | null;
  senderIsBot: boolean;
  log: Logger;
}): Promise<void> {
  const { host, config, log } = params;
  const fresh = await host.getIssue(params.issue);
  if (!fresh) return;
  let backlog = params.backlog;
  if (fresh.body !== params.body) {
    log.info("the issue changed since this event: deciding on its current body");
    const read = await readBacklog(params.parse, params.issue, fresh.body);
    if (!read.ok) {
      log.warn({ problems: read.error }, "the issue's current body is past the bot's limits: left as it is");
      return;
    }
    backlog = read.value;
  }
  const decision = confirmBacklogTransition({
    decision: decideBacklogAction({ backlog, issue: fresh, config }),
    before: params.before,
    senderIsBot: params.senderIsBot,
  });
  if (decision.action === "close") {
    log.info({ counts: decision.counts }, "every backlog item is done or skipped: closing as completed");
    await host.updateIssue(params.issue, { state: "closed", stateReason: decision.stateReason });
    await host.comment(params.issue, renderBacklogClose({ counts: decision.counts, reopenWhenUnticked: config.reopen_when_unticked }));
  } else if (decision.action === "reopen") {
    log.info({ open: decision.openItems.length }, "a closed backlog has open items again: reopening");
    await host.updateIssue(params.issue, { state: "open" });
    await host.comment(params.issue, renderBacklogReopen({ openItems: decision.openItems, phases: backlog.phases, closeWhenDone: config.close_when_done }));
  } else {
    log.info({ reason: decision.reason, state: fresh.state }, "nothing to do on the current issue");
  }
}

/** One issue body read as a backlog in the parse workers, under the backlog limits. */
function readBacklog(parse: ParseFile, issueNumber: number, body: string) {
  return parse({ kind: "backlog", file: `issue #${issueNumber}`, text: body });
}
