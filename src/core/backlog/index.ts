// The backlog core's public surface, for the handlers and the CLI. See README.md for the format.
export type { Backlog, BacklogItem, BacklogPhase, BacklogSection, BacklogWarning, ItemState, LegendEntry, MarkRepair, PhaseStatusMark, SourceSpan, StatusMeaning } from "./backlog.js";
export type { MarkRepairSummary } from "./summarize-mark-repairs.js";
export type { BacklogProgress, PhaseProgress, ProgressCounts, StatusMismatch } from "./backlog-progress.js";
export type { ItemReference } from "./item-reference.js";
export { parseBacklog } from "./parse-backlog.js";
export { computeBacklogProgress } from "./compute-backlog-progress.js";
export { decideBacklogAction, type BacklogDecision, type IssueState, type NoActionReason } from "./decide-backlog-action.js";
export { findItemReferences } from "./find-item-references.js";
export { resolveItemReferences, type ReferenceResolution } from "./resolve-item-references.js";
export { tickItem, tickItems, untickItem, type StaleItem } from "./tick-item.js";
export { describeItem } from "./describe-item.js";
export { STATUS_EMOJI } from "./status-emoji.js";
export { SKIP_MARKS } from "./classify-item-mark.js";
export { isBacklogIssue, hasBacklogLabel, readsAsBacklog } from "./is-backlog-issue.js";
export { confirmBacklogTransition } from "./confirm-backlog-transition.js";
export { planItemTicks, type ItemTickPlan, type UnresolvedReference } from "./plan-item-ticks.js";
export type { IssueTickOutcome } from "./issue-tick-outcome.js";
