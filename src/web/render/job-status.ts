import type { JobState } from "../../core/jobs/job.js";

/** A job state in words, with a symbol that repeats it (never colour alone). */
export const JOB_STATUS: Readonly<Record<JobState, { readonly word: string; readonly symbol: string; readonly tone: "busy" | "ok" | "bad" | "idle" }>> = {
  queued: { word: "Queued", symbol: "○", tone: "idle" },
  running: { word: "Running", symbol: "◐", tone: "busy" },
  succeeded: { word: "Succeeded", symbol: "✓", tone: "ok" },
  failed: { word: "Failed", symbol: "✗", tone: "bad" },
  cancelled: { word: "Cancelled", symbol: "■", tone: "idle" },
  timed_out: { word: "Timed out", symbol: "⏱", tone: "bad" },
};

export const STAGE_STATUS = {
  running: { word: "running", symbol: "◐" },
  done: { word: "done", symbol: "✓" },
  skipped: { word: "unchanged, skipped", symbol: "–" },
  failed: { word: "failed", symbol: "✗" },
} as const;

export function isEnded(state: JobState): boolean {
  return state !== "queued" && state !== "running";
}
