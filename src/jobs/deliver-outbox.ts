import type { JobRepo } from "../core/jobs/job.js";
import { isTransientFailure } from "../core/is-transient-failure.js";
import type { CodeHost } from "../ports/code-host.js";
import type { Logger } from "../ports/logger.js";
import type { FencedWrite, LeasedMessage, Outbox, OutboxAction } from "../ports/outbox.js";

/** How long a worker holds a message it is delivering before another may take it. */
export const OUTBOX_LEASE_MS = 60_000;
/** A message GitHub would not take for this long is given up (and logged): the answer is stale by then. */
export const OUTBOX_GIVE_UP_MS = 24 * 3600_000;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 5 * 60_000;

/** The wait before the next try: 1 s doubling per failed attempt, at most 5 min. */
export function outboxBackoffMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempts, 20));
}

export interface DeliveryDeps {
  readonly outbox: Outbox;
  readonly hostFor: (repo: JobRepo) => Promise<CodeHost>;
  readonly log: Logger;
  readonly now?: () => number;
}

/**
 * Performs each leased message on GitHub, in order. A delivered message is marked so; one that
 * failed for a reason that may pass (GitHub down, rate limited) is due again after a backoff; one
 * GitHub refuses for good (a deleted comment), or that failed for a day, is given up and logged.
 * Every write about a message is fenced by its lease (`claim`): a message whose lease lapsed while
 * the batch was slow, and that another worker took, is left to that worker (logged in one line,
 * never written or performed again here); a message reached when half its lease is spent has its
 * lease renewed first. Never throws: what is not delivered stays in the outbox. Returns how many
 * were delivered.
 */
export async function deliverMessages(deps: DeliveryDeps, messages: readonly LeasedMessage[]): Promise<number> {
  const now = deps.now ?? Date.now;
  const leasedAt = now();
  let delivered = 0;
  for (const message of messages) {
    const log = deps.log.child({ outbox: message.id, key: message.key, action: message.action.type });
    try {
      if (now() - leasedAt >= OUTBOX_LEASE_MS / 2 && lost(await deps.outbox.renew(message.id, message.claim, OUTBOX_LEASE_MS), log)) continue;
      await perform(await deps.hostFor(message.repo), message.action);
      if (!lost(await deps.outbox.delivered(message.id, message.claim), log)) delivered++;
    } catch (e) {
      await recordFailure(deps, message, e, log);
    }
  }
  return delivered;
}

/** True (and logged) when another worker holds the message now: this one writes nothing more about it. */
function lost(write: FencedWrite, log: Logger): boolean {
  if (write === "written") return false;
  log.warn("lost the answer's lease to another worker (this one was too slow): leaving it to that worker");
  return true;
}

/** A failed delivery: due again after a backoff, or given up; a store that is down too lets the lease lapse. */
async function recordFailure(deps: DeliveryDeps, message: LeasedMessage, e: unknown, log: Logger): Promise<void> {
  const now = deps.now ?? Date.now;
  const error = `${(e as Error).name}: ${(e as Error).message}`.slice(0, 500);
  try {
    if (isTransientFailure(e) && now() - message.createdAt < OUTBOX_GIVE_UP_MS) {
      const waitMs = outboxBackoffMs(message.attempts);
      log.warn({ err: e, attempts: message.attempts + 1, retryInMs: waitMs }, "could not deliver an answer to GitHub; will retry");
      lost(await deps.outbox.retryAt(message.id, message.claim, { error, at: now() + waitMs }), log);
    } else {
      log.error({ err: e, attempts: message.attempts + 1 }, "giving up an answer GitHub will not take");
      lost(await deps.outbox.giveUp(message.id, message.claim, error), log);
    }
  } catch (stored) {
    // The store is down too: the lease lapses and the message is taken again.
    log.warn({ err: stored }, "could not record the failed delivery; its lease will lapse and it will be retried");
  }
}

/** Delivers the messages that are due (a worker's poll): those that failed before, or that a dead process held. */
export async function flushOutbox(deps: DeliveryDeps & { worker: string; limit?: number }): Promise<number> {
  const due = await deps.outbox.claimDue({ worker: deps.worker, leaseMs: OUTBOX_LEASE_MS, limit: deps.limit ?? 50 });
  return due.length ? deliverMessages(deps, due) : 0;
}

function perform(host: CodeHost, action: OutboxAction): Promise<void> {
  switch (action.type) {
    case "react":
      return host.react(action.commentId, action.reaction);
    case "comment":
      return host.comment(action.issue, action.body);
  }
}
