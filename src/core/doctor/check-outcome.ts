/** How one doctor check ended: passed, failed (counts toward the exit code), a warning, or not applicable here. */
export const checkStatuses = ["ok", "fail", "warn", "skip"] as const;
export type CheckStatus = (typeof checkStatuses)[number];

/** What a check found: what it tried, what it saw, and (when something is wrong) what to do. */
export interface CheckOutcome {
  readonly status: CheckStatus;
  /** What the check tried, in one sentence ("Wrote, read back and deleted a canary object in gs://b/p"). */
  readonly tried: string;
  /** What it found. */
  readonly found: string;
  /** What to change, for a failure or a warning. */
  readonly fix?: string | undefined;
}

/** One check's outcome with the check's name, as the reports show it. */
export interface CheckResult extends CheckOutcome {
  readonly id: string;
  readonly title: string;
}

export const passed = (tried: string, found: string): CheckOutcome => ({ status: "ok", tried, found });
export const failed = (tried: string, found: string, fix: string): CheckOutcome => ({ status: "fail", tried, found, fix });
export const warned = (tried: string, found: string, fix: string): CheckOutcome => ({ status: "warn", tried, found, fix });
export const skipped = (tried: string, found: string): CheckOutcome => ({ status: "skip", tried, found });

/** The doctor's exit code: the number of failed checks (warnings do not count). */
export function countFailures(results: readonly Pick<CheckResult, "status">[]): number {
  return results.filter((r) => r.status === "fail").length;
}
