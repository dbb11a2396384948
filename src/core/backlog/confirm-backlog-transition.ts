import type { Backlog } from "./backlog.js";
import type { BacklogDecision } from "./decide-backlog-action.js";

/**
 * Narrows a close / reopen decision to the edits that cause it, so the bot never fights a
 * person (or another bot) over the state:
 *
 * - an edit closes the issue only when the body before it had an open item (or no items): the
 *   edit did the last of the work. A person who reopens a finished backlog and fixes a typo is
 *   left alone.
 * - an edit reopens the issue only when nothing was open before it: an item became open again.
 *   An issue a person closed with items still open stays closed.
 * - edits by bots never reopen, so two bots cannot take turns closing and reopening an issue.
 *   They may close: a merged pull request's tick (an edit by this bot) is how most backlogs end.
 *
 * `before` is the backlog of the body before the edit; null for events that are not body edits
 * (opened, labelled), which take the decision as it is.
 */
export function confirmBacklogTransition(params: { decision: BacklogDecision; before: Backlog | null; senderIsBot: boolean }): BacklogDecision {
  const { decision, before, senderIsBot } = params;
  if (decision.action === "none") return decision;
  if (decision.action === "reopen" && senderIsBot) return { action: "none", reason: "bot-edit", counts: decision.counts };
  if (before === null) return decision;
  const openBefore = before.items.filter((i) => i.state === "open").length;
  const changed = decision.action === "close" ? openBefore > 0 || before.items.length === 0 : openBefore === 0;
  return changed ? decision : { action: "none", reason: "not-changed-by-edit", counts: decision.counts };
}
