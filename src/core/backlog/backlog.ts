import type { SingleByteEncoding } from "../text/single-byte-encodings.js";

/**
 * A backlog issue body, read: phases (`## Phase 2: … 🔄`), sections inside them
 * (`### [AI] Implementation Tasks`) and checklist items. Produced by `parseBacklog`;
 * see `README.md` beside this file for the format.
 */
export interface Backlog {
  readonly phases: readonly BacklogPhase[];
  readonly sections: readonly BacklogSection[];
  /** Every checklist item, in document order (nested items after their parent). */
  readonly items: readonly BacklogItem[];
  /** Entries of the issue's own legend, if it has one. */
  readonly legend: readonly LegendEntry[];
  /** What the parser could not read as intended (unknown markers, unreadable body). */
  readonly warnings: readonly BacklogWarning[];
}

export type ItemState = "open" | "done" | "skipped";

/** What a status emoji, a legend entry or a `Status:` line says about a phase or an item. */
export type StatusMeaning = "done" | "in-progress" | "not-started" | "skipped";

/** Half-open range of UTF-16 offsets into the body: `body.slice(start, end)`. */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

export interface BacklogPhase {
  readonly index: number;
  /** `"2"` for `Phase 2: …`; null when the heading has no phase number. */
  readonly number: string | null;
  /** The heading without its status emoji, e.g. `Phase 2: GCP & Terraform Infrastructure`. */
  readonly title: string;
  /** The title without the `Phase 2:` prefix, e.g. `GCP & Terraform Infrastructure`. */
  readonly name: string;
  /** 1-based line of the heading; null for the implicit phase of items under no phase heading. */
  readonly line: number | null;
  /** Status marks found on the heading and on a `**Status**:` line below it. */
  readonly statuses: readonly PhaseStatusMark[];
}

export interface PhaseStatusMark {
  readonly source: "heading" | "status line";
  /** The emoji as written (e.g. `🔄`); null when a status line says it in words only. */
  readonly emoji: string | null;
  readonly meaning: StatusMeaning;
  readonly line: number;
  /** Set when the emoji was mis-encoded and read as what it was (see `MarkRepair`). */
  readonly repaired?: MarkRepair;
}

/**
 * A status mark whose UTF-8 bytes had been mis-read as a single-byte encoding somewhere on the
 * way (`‚úÖ` for ✅ in Mac Roman, `âœ…` in Windows-1252), and which was read as what it was
 * (see `repairMojibake`). The issue text itself is never rewritten for it.
 */
export interface MarkRepair {
  /** The mark as it stands in the issue, e.g. `‚è≠Ô∏è`. */
  readonly written: string;
  /** What it was read as, e.g. `⏭️`. */
  readonly read: string;
  readonly encoding: SingleByteEncoding;
}

export interface BacklogSection {
  readonly index: number;
  readonly phaseIndex: number;
  readonly title: string;
  /** Upper-cased role tag of the heading (`[HUMAN] Prerequisites` -> `HUMAN`), if any. */
  readonly role: string | null;
  readonly line: number;
}

export interface BacklogItem {
  readonly index: number;
  readonly phaseIndex: number;
  readonly sectionIndex: number | null;
  /** The enclosing checklist item when this one is nested in it. */
  readonly parentIndex: number | null;
  readonly state: ItemState;
  /** The characters between the brackets as written: `" "`, `"x"`, `"X"`, `"⏭️"`, `"-"`, … */
  readonly mark: string;
  /** Where the mark's meaning comes from; `unknown` marks count as open. */
  readonly markSource: "checkbox" | "builtin" | "legend" | "unknown";
  /** The item's text begins with strikethrough (`~~…~~`). */
  readonly struck: boolean;
  /** Upper-cased role: the item's own `[AI]` tag, else its parent item's, else the nearest heading's tag. */
  readonly role: string | null;
  readonly roleSource: "item" | "parent" | "heading" | null;
  /** `"2.6"` for `[AI] 2.6: Create …`; null when the item has no number. */
  readonly number: string | null;
  /** Plain text after the role tag and number. */
  readonly title: string;
  /** Plain text after the checkbox. */
  readonly text: string;
  /** 1-based line of the item. */
  readonly line: number;
  /** The whole list item, nested lists included. */
  readonly span: SourceSpan;
  /** The checkbox, brackets included: `[ ]`, `[x]`, `[⏭️]`. */
  readonly box: SourceSpan;
  /** Set when `mark` was mis-encoded and was read as what it was (`[‚è≠Ô∏è]` as `[⏭️]`). */
  readonly repaired?: MarkRepair;
}

export interface LegendEntry {
  /** The marker without brackets and without emoji variation selectors, e.g. `⏭`, `-`, `x`. */
  readonly marker: string;
  /** True for `[⏭️] Skipped` (applies to item checkboxes), false for a bare `⏭️ Skipped`. */
  readonly bracketed: boolean;
  readonly meaning: StatusMeaning;
  /** The entry's text as written, e.g. `⏭️ = Skipped / deferred`. */
  readonly text: string;
  readonly line: number;
}

export interface BacklogWarning {
  readonly line: number | null;
  /** Plain text (no markdown): renderers escape it. */
  readonly message: string;
}
