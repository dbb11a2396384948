import type { JobState, TerminalJobState } from "./job.js";

/** The only moves a job may make. Anything else is a bug and is refused by every store. */
const allowed: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ["running", "cancelled"],
  running: ["succeeded", "failed", "cancelled", "timed_out"],
  succeeded: [],
  failed: [],
  cancelled: [],
  timed_out: [],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return allowed[from].includes(to);
}

export function isTerminal(state: JobState): state is TerminalJobState {
  return allowed[state].length === 0;
}

export function allowedTransitions(from: JobState): readonly JobState[] {
  return allowed[from];
}
