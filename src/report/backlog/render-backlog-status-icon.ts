import type { PhaseProgress } from "../../core/backlog/backlog-progress.js";

/**
 * The status a phase's items show (not what its heading claims): ✅ nothing open, ⏭️ all
 * skipped, 🔄 some done, ⏳ none done yet, ➖ no items.
 */
export function renderBacklogStatusIcon(progress: Pick<PhaseProgress, "actual" | "counts">): string {
  switch (progress.actual) {
    case "done":
      return progress.counts.done === 0 ? "⏭️" : "✅";
    case "in-progress":
      return "🔄";
    case "not-started":
      return "⏳";
    case "empty":
      return "➖";
  }
}
