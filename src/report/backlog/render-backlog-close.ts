import type { ProgressCounts } from "../../core/backlog/backlog-progress.js";

/** First line of the comment the bot leaves when it closes a finished backlog. */
export const BACKLOG_CLOSE_MARKER = "<!-- mlops-bot:backlog-close -->";

/** The comment posted when every item is done or skipped and the bot closes the issue. */
export function renderBacklogClose(params: { counts: ProgressCounts; reopenWhenUnticked: boolean }): string {
  const { counts, reopenWhenUnticked } = params;
  const all = counts.total === 1 ? "The only item" : `All ${counts.total} items`;
  const split = counts.skipped === 0 ? "" : ` (${counts.done} done, ${counts.skipped} skipped)`;
  const verb = counts.total === 1 ? (counts.skipped === 0 ? "is done" : "is skipped") : counts.skipped === 0 ? "are done" : "are done or skipped";
  return [
    BACKLOG_CLOSE_MARKER,
    `${all} of this backlog ${verb}${split}, so I'm closing it as completed. 🎉`,
    ...(reopenWhenUnticked ? ["", "Untick an item to reopen it."] : []),
  ].join("\n");
}
