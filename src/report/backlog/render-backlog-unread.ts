import { BACKLOG_PROGRESS_MARKER } from "./render-backlog-progress.js";

/**
 * The sticky progress comment when the issue body was not read (past the backlog limits, or its
 * parse was stopped): what happened, from the problems, and what to do. The problems are the
 * bot's own sentences (sizes, limits, line numbers), never the body's text.
 */
export function renderBacklogUnread(params: { problems: readonly string[] }): string {
  return [
    BACKLOG_PROGRESS_MARKER,
    "### Backlog progress",
    "",
    "The bot did not read this issue's checklist, so no progress is shown:",
    "",
    ...params.problems.map((p) => `- ${p}`),
    "",
    "Split the backlog into smaller issues (the limits are in the bot's docs: configuration, \"Limits on repository files\") and edit this one to try again.",
  ].join("\n");
}
