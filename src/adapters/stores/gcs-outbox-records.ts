import { z } from "zod";
import { readOutboxAction, type LeasedMessage, type OutboxMessage, type PendingMessage } from "../../ports/outbox.js";

/**
 * `commands/<key>`: a command's claim. Provisional while `pendingUntil` is set: it lapses then,
 * unless the batch it names (`batch`) was stored, which makes it final. A mark without
 * `pendingUntil` (`markCommandSeen`, older bots) is final.
 */
export const claimSchema = z.object({
  key: z.string(),
  at: z.number(),
  rev: z.string(),
  pendingUntil: z.number().nullable().optional(),
  batch: z.string().nullable().optional(),
  /** The provisional claim's fencing token (new at every claim): only its holder points it at a batch or makes it final. */
  token: z.string().nullable().optional(),
});
export type Claim = z.infer<typeof claimSchema>;

const messageSchema = z.object({
  key: z.string(),
  repo: z.object({ owner: z.string(), name: z.string(), installationId: z.number() }),
  /** Parsed when read for delivery (`readOutboxAction`): a damaged action is given up, never performed. */
  action: z.unknown(),
  state: z.enum(["pending", "delivered", "given_up"]),
  attempts: z.number().int().nonnegative(),
  dueAt: z.number(),
  holder: z.string().nullable(),
  /** The lease's fencing token, new at every lease; the holder's writes are refused once it changed. */
  claim: z.string().nullable().optional(),
  lastError: z.string().nullable(),
  endedAt: z.number().nullable(),
});
export type StoredMessage = z.infer<typeof messageSchema>;

/**
 * `outbox/<batch>.json`: one `complete` call, written once with `ifGenerationMatch: 0`. Its
 * creation with `outcome: "stored"` is the commit: the claims that name the batch become final
 * and its messages exist, together. `abandoned` is written (create-if-absent too) by a process
 * that finds the batch's writer gone, so that writer's late commit fails instead. Message states
 * change by compare-and-swap on the whole batch.
 */
export const batchSchema = z.object({
  rev: z.string(),
  outcome: z.enum(["stored", "abandoned"]),
  commands: z.array(z.string()),
  createdAt: z.number(),
  messages: z.array(messageSchema),
});
export type Batch = z.infer<typeof batchSchema>;

/** `outbox-keys/<key>`: which batch holds the message of this key; it counts once that batch is stored. */
export const reservationSchema = z.object({ rev: z.string(), key: z.string(), batch: z.string(), at: z.number() });
export type Reservation = z.infer<typeof reservationSchema>;

/** A batch id: a UUID we made (the only names read back from `unsent/` and message ids). */
const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isBatchId(id: string): boolean {
  return BATCH_ID.test(id);
}

/** A message's id: `<batch>.<index in the batch>`. */
export function messageId(batch: string, index: number): string {
  return `${batch}.${index}`;
}

export function parseMessageId(id: string): { batch: string; index: number } | undefined {
  const dot = id.lastIndexOf(".");
  const [batch, index] = [id.slice(0, dot), Number(id.slice(dot + 1))];
  return dot > 0 && isBatchId(batch) && Number.isInteger(index) && index >= 0 ? { batch, index } : undefined;
}

export function newMessage(m: OutboxMessage, params: { dueAt: number; holder: string; claim: string }): StoredMessage {
  return { key: m.key, repo: { ...m.repo }, action: m.action, state: "pending", attempts: 0, dueAt: params.dueAt, holder: params.holder, claim: params.claim, lastError: null, endedAt: null };
}

/** The port's view of a pending message; undefined when its action is damaged (it is given up, never performed). */
export function toPending(batch: string, index: number, stored: Batch): PendingMessage | undefined {
  const m = stored.messages[index];
  const action = m && readOutboxAction(m.action);
  if (!m || !action) return undefined;
  return { id: messageId(batch, index), key: m.key, repo: m.repo, action, attempts: m.attempts, createdAt: stored.createdAt };
}

/** A message just leased (its `claim` set by the write that leased it); undefined when its action is damaged. */
export function toLeased(batch: string, index: number, stored: Batch): LeasedMessage | undefined {
  const pending = toPending(batch, index, stored);
  return pending && { ...pending, claim: stored.messages[index]?.claim ?? "" };
}
