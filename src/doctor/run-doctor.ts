import { knownSecretValues } from "../adapters/secrets/secret-values.js";
import { failed, type CheckOutcome, type CheckResult } from "../core/doctor/check-outcome.js";
import type { DoctorCheck } from "./doctor-check.js";
import type { DoctorContext } from "./doctor-context.js";

/** How long one check may take before it counts as failed (a canary push on a slow link takes a while). */
export const CHECK_TIMEOUT_MS = 120_000;

/**
 * Runs every check at once and gives their results in the table's order. A check that throws or
 * takes longer than `timeoutMs` fails with what happened; every known secret value is redacted
 * from what the results say.
 */
export async function runDoctor(params: { checks: readonly DoctorCheck[]; ctx: DoctorContext; timeoutMs?: number }): Promise<CheckResult[]> {
  const timeoutMs = params.timeoutMs ?? CHECK_TIMEOUT_MS;
  return Promise.all(
    params.checks.map(async (check): Promise<CheckResult> => {
      const outcome = await within(check, params.ctx, timeoutMs);
      return {
        id: check.id,
        title: check.title,
        status: outcome.status,
        tried: knownSecretValues.redact(outcome.tried),
        found: knownSecretValues.redact(outcome.found),
        ...(outcome.fix ? { fix: knownSecretValues.redact(outcome.fix) } : {}),
      };
    }),
  );
}

async function within(check: DoctorCheck, ctx: DoctorContext, timeoutMs: number): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve(failed(`Ran the ${check.title.toLowerCase()} check.`, `It did not finish within ${Math.round(timeoutMs / 1000)} s.`, "See what it waits for in the bot's logs, then run the doctor again.")),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      check.run(ctx).catch((e: unknown) =>
        failed(`Ran the ${check.title.toLowerCase()} check.`, `The check itself failed: ${(e as Error).message ?? String(e)}`, "This is a bug in the check or an outage of what it calls; the message says which."),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
