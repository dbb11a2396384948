import type { BacklogItem, BacklogPhase } from "../../core/backlog/backlog.js";
import { renderBacklogItemLabel } from "./render-backlog-item-label.js";

/** First line of the comment the bot leaves when it reopens a backlog. */
export const BACKLOG_REOPEN_MARKER = "<!-- mlops-bot:backlog-reopen -->";

const MAX_ITEMS = 20;

/** The comment posted when a closed backlog has open items again and the bot reopens it. */
export function renderBacklogReopen(params: { openItems: readonly BacklogItem[]; phases: readonly BacklogPhase[]; closeWhenDone: boolean }): string {
  const { openItems, phases, closeWhenDone } = params;
  const shown = openItems.slice(0, MAX_ITEMS);
  const count = openItems.length === 1 ? "1 item is" : `${openItems.length} items are`;
  return [
    BACKLOG_REOPEN_MARKER,
    `Reopening: this backlog was closed, but ${count} open:`,
    "",
    ...shown.map((item) => `- ${renderBacklogItemLabel(item, phases)}`),
    ...(openItems.length > shown.length ? [`- …and ${openItems.length - shown.length} more`] : []),
    ...(closeWhenDone ? ["", "I'll close it again when every item is done or skipped."] : []),
  ].join("\n");
}
