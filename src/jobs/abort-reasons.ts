import type { JobOutcome } from "./job-executor.js";

/** Why a job was aborted: a user's cancel (or a superseding job) ... */
export class CancelReason {
  constructor(readonly message: string) {}
}
/** ... or the bot shutting down. */
export class ShutdownReason {
  constructor(readonly message: string) {}
}

/** The outcome for a job whose signal was aborted. */
export function abortedOutcome(signal: AbortSignal): JobOutcome {
  const reason: unknown = signal.reason;
  if (reason instanceof ShutdownReason) return { state: "failed", reason: reason.message };
  if (reason instanceof CancelReason) return { state: "cancelled", reason: reason.message };
  return { state: "cancelled", reason: "Cancelled." };
}
