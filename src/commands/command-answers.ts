import { randomUUID } from "node:crypto";
import { deliverMessages, OUTBOX_LEASE_MS } from "../jobs/deliver-outbox.js";
import type { CodeHost } from "../ports/code-host.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";
import type { FencedWrite, OutboxAction, OutboxMessage } from "../ports/outbox.js";

/** How long a command's claim holds without an outcome: after that a redelivery may run it (its process died). */
export const COMMAND_CLAIM_MS = 10 * 60_000;

/**
 * How one comment's commands are claimed and answered. With the store's outbox, a claim is
 * provisional until `complete` stores the answer (and makes the claims final) in one
 * atomic step; the answer is then delivered at once, and what GitHub does not take now is
 * retried from the outbox by the workers. Every job store has one; without one (a test double),
 * claims are final marks and answers go straight to GitHub: a failure throws, and the caller
 * forgets the claims.
 */
export interface CommandAnswers {
  claim(key: string): Promise<boolean>;
  /**
   * Stores the outcome of these commands (their claims become final) and sends the actions;
   * `lost-claim` (nothing stored or sent) when a claim lapsed and another delivery of the comment
   * claimed the command since: that one answers it.
   */
  complete(commands: readonly string[], actions: readonly OutboxAction[]): Promise<FencedWrite>;
  /** Lets a redelivery run these commands again (they failed before an outcome was stored). */
  forget(commands: readonly string[]): Promise<void>;
}

export function commandAnswers(params: { store: JobStore; host: CodeHost; installationId: number; log: Logger }): CommandAnswers {
  const { store, host, log } = params;
  const outbox = store.outbox;
  const repo = { owner: host.owner, name: host.repo, installationId: params.installationId };
  const forget = async (commands: readonly string[]) => {
    for (const key of commands) await store.forgetCommand(key);
  };
  if (!outbox) {
    return {
      claim: (key) => store.markCommandSeen(key),
      complete: async (_commands, actions) => {
        for (const action of actions) await (action.type === "react" ? host.react(action.commentId, action.reaction) : host.comment(action.issue, action.body));
        return "written";
      },
      forget,
    };
  }
  const worker = `intake:${randomUUID().slice(0, 8)}`;
  const claims = new Map<string, string>(); // this delivery's claims: key -> fencing token
  return {
    claim: async (key) => {
      const claimed = await outbox.claimCommand(key, COMMAND_CLAIM_MS);
      if (claimed) claims.set(key, claimed.claim);
      return claimed !== undefined;
    },
    complete: async (commands, actions) => {
      const messages: OutboxMessage[] = actions.map((action) => ({ key: messageKey(action), repo, action }));
      const held = commands.map((key) => ({ key, claim: claims.get(key) ?? "" }));
      const stored = await outbox.complete({ commands: held, messages, worker, leaseMs: OUTBOX_LEASE_MS });
      if (stored.status === "lost-claim") return "lost-claim";
      await deliverMessages({ outbox, hostFor: () => Promise.resolve(host), log }, stored.messages);
      return "written";
    },
    // Only this delivery's own claims: one that lapsed and was claimed again is another delivery's now.
    forget: async (commands) => {
      for (const key of commands) {
        const claim = claims.get(key);
        if (claim && (await outbox.releaseCommand({ key, claim })) === "lost-claim") log.warn({ command: key }, "lost the command's claim to another delivery: not releasing it");
      }
    },
  };
}

/** A reaction is the same message however often it is sent; each reply is its own. */
function messageKey(action: OutboxAction): string {
  return action.type === "react" ? `react:${action.commentId}:${action.reaction}` : `reply:${action.issue}:${randomUUID()}`;
}
