import type { BacklogItem, BacklogPhase } from "../../core/backlog/backlog.js";
import { neutralizeUserText } from "../format/neutralize-user-text.js";

/**
 * An item in a markdown comment: `` `[AI] 2.6` Create Dev Environment Config `` and, with
 * `phases`, the phase it belongs to in parentheses. Text from the issue is escaped (see
 * `escapeBacklogText`).
 */
export function renderBacklogItemLabel(item: BacklogItem, phases?: readonly BacklogPhase[]): string {
  const id = [item.role ? `[${item.role}]` : "", item.number ?? ""].filter((s) => s !== "").join(" ");
  const title = escapeBacklogText(item.title || item.text || `item on line ${item.line}`);
  const phase = phases?.[item.phaseIndex];
  const where = phase && phase.line !== null ? ` (${escapeBacklogText(phase.title)})` : "";
  return `${id ? `\`${id}\` ` : ""}${title}${where}`;
}

/**
 * Issue text made inert in a comment: markdown punctuation escaped, and mentions and links
 * neutralised (`neutralizeUserText`), so quoting an item never notifies anyone or links anywhere.
 */
export function escapeBacklogText(text: string): string {
  return neutralizeUserText(text.replace(/[\r\n]+/g, " ").replace(/[\\`*_~[\]<>|#]/g, "\\$&"));
}
