import type { RepoConfig } from "../../config/repo-config-schema.js";
import type { Backlog } from "./backlog.js";

/**
 * Whether the bot keeps this issue's checklist: it carries the configured label (compared
 * case-insensitively, as GitHub does), or, with `detect: content`, its body reads as a backlog
 * (`readsAsBacklog`). Pass `backlog` only when `needsContent` says so: parsing a large body
 * costs time, and a labelled issue needs none.
 */
export function isBacklogIssue(params: {
  labels: readonly string[];
  backlog: Backlog | undefined;
  config: Pick<RepoConfig["backlog"], "label" | "detect">;
}): boolean {
  const { labels, backlog, config } = params;
  if (hasBacklogLabel(labels, config.label)) return true;
  return config.detect === "content" && backlog !== undefined && readsAsBacklog(backlog);
}

export function hasBacklogLabel(labels: readonly string[], label: string): boolean {
  const wanted = label.toLowerCase();
  return labels.some((l) => l.toLowerCase() === wanted);
}

/**
 * A body reads as a backlog when it has phases with checklist items: a numbered phase
 * (`## Phase 2: …`) with items, or two phase headings with items. A lone task list under one
 * heading (an issue template's `### Checklist`) is not enough.
 */
export function readsAsBacklog(backlog: Backlog): boolean {
  const withItems = backlog.phases.filter((p) => p.line !== null && backlog.items.some((i) => i.phaseIndex === p.index));
  return withItems.length >= 2 || withItems.some((p) => p.number !== null);
}
