import type { BacklogItem, BacklogPhase, BacklogWarning, StatusMeaning } from "./backlog.js";
import type { MarkRepairSummary } from "./summarize-mark-repairs.js";

/** Item counts. `percent` is done / (done + open), rounded down: skipped items are out of scope. */
export interface ProgressCounts {
  readonly total: number;
  readonly done: number;
  readonly skipped: number;
  readonly open: number;
  /** 0–100, rounded down so 100 means nothing is open; null when there are no items. */
  readonly percent: number | null;
}

export interface PhaseProgress {
  readonly phase: BacklogPhase;
  readonly counts: ProgressCounts;
  /** What the items say about the phase: done when nothing is open (and there are items). */
  readonly actual: "empty" | "not-started" | "in-progress" | "done";
  readonly openItems: readonly BacklogItem[];
}

/** A phase whose heading or `Status:` line claims something its items contradict. */
export interface StatusMismatch {
  readonly phaseIndex: number;
  readonly source: "heading" | "status line";
  readonly emoji: string | null;
  readonly claimed: StatusMeaning;
  readonly actual: PhaseProgress["actual"];
  readonly line: number;
  /** One plain-text sentence (renderers escape it), e.g. `Phase 2: … is marked 🔄 in progress, but all 7 items are done or skipped.` */
  readonly message: string;
}

export interface BacklogProgress {
  readonly phases: readonly PhaseProgress[];
  readonly overall: ProgressCounts;
  readonly mismatches: readonly StatusMismatch[];
  /** Parser warnings, passed on so one value carries everything a report shows. */
  readonly warnings: readonly BacklogWarning[];
  /** Status marks that were mis-encoded (`‚úÖ` for ✅) and counted as what they were; null when none. */
  readonly repairedMarks: MarkRepairSummary | null;
}
