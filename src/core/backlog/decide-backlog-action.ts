import type { RepoConfig } from "../../config/repo-config-schema.js";
import type { Backlog, BacklogItem } from "./backlog.js";
import type { ProgressCounts } from "./backlog-progress.js";
import { countItems } from "./count-items.js";

/** The issue as GitHub reports it (`issue.state`, `issue.state_reason`). */
export interface IssueState {
  readonly state: "open" | "closed";
  readonly stateReason?: "completed" | "not_planned" | "reopened" | "duplicate" | null | undefined;
}

export type BacklogDecision =
  | { readonly action: "close"; readonly stateReason: "completed"; readonly counts: ProgressCounts }
  | { readonly action: "reopen"; readonly openItems: readonly BacklogItem[]; readonly counts: ProgressCounts }
  | { readonly action: "none"; readonly reason: NoActionReason; readonly counts: ProgressCounts };

export type NoActionReason =
  /** No checklist items: nothing says the work is done. */
  | "no-items"
  /** Open issue with open items, or closed issue with nothing open: already in step. */
  | "in-step"
  | "close-disabled"
  | "reopen-disabled"
  /** Closed as not planned or duplicate: the checklist no longer decides. */
  | "closed-not-completed"
  /** `confirmBacklogTransition`: the edit did not change whether anything is open. */
  | "not-changed-by-edit"
  /** `confirmBacklogTransition`: a bot's edit never reopens. */
  | "bot-edit";

/**
 * Backlog + issue state -> close, reopen or nothing. An open issue whose items are all done or
 * skipped closes as completed (`close_when_done`); a closed issue with an open item reopens,
 * naming the open items (`reopen_when_unticked`), unless it was closed as not planned or as a
 * duplicate. An issue without items is never touched.
 */
export function decideBacklogAction(params: {
  backlog: Backlog;
  issue: IssueState;
  config: Pick<RepoConfig["backlog"], "close_when_done" | "reopen_when_unticked">;
}): BacklogDecision {
  const { backlog, issue, config } = params;
  const counts = countItems(backlog.items);
  if (counts.total === 0) return { action: "none", reason: "no-items", counts };
  const openItems = backlog.items.filter((i) => i.state === "open");
  if (issue.state === "open") {
    if (openItems.length > 0) return { action: "none", reason: "in-step", counts };
    if (!config.close_when_done) return { action: "none", reason: "close-disabled", counts };
    return { action: "close", stateReason: "completed", counts };
  }
  if (openItems.length === 0) return { action: "none", reason: "in-step", counts };
  if (issue.stateReason === "not_planned" || issue.stateReason === "duplicate") return { action: "none", reason: "closed-not-completed", counts };
  if (!config.reopen_when_unticked) return { action: "none", reason: "reopen-disabled", counts };
  return { action: "reopen", openItems, counts };
}
