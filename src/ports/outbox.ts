import { z } from "zod";
import type { JobRepo } from "../core/jobs/job.js";

/** A write to GitHub that answers a command: a reaction on the comment, or a reply on its PR/issue. */
export type OutboxAction =
  | { readonly type: "react"; readonly commentId: number; readonly reaction: "eyes" | "rocket" | "confused" | "+1" | "-1" }
  | { readonly type: "comment"; readonly issue: number; readonly body: string };

/** How a stored action is read back: a damaged one is never performed. */
export const outboxActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("react"), commentId: z.number().int().positive(), reaction: z.enum(["eyes", "rocket", "confused", "+1", "-1"]) }),
  z.object({ type: z.literal("comment"), issue: z.number().int().positive(), body: z.string() }),
]);

export interface OutboxMessage {
  /** Unique: a message whose key is stored already is not added again. */
  readonly key: string;
  readonly repo: JobRepo;
  readonly action: OutboxAction;
}

/** A message not delivered yet. */
export interface PendingMessage extends OutboxMessage {
  readonly id: string;
  /** Failed deliveries so far. */
  readonly attempts: number;
  readonly createdAt: number;
}

/**
 * A message leased to the worker that got it (`complete`, `claimDue`). `claim` is the lease's
 * fencing token, new at every lease: the holder's writes about the message carry it, and once
 * the lease lapsed and another worker took the message, they are refused (`lost-claim`).
 */
export interface LeasedMessage extends PendingMessage {
  readonly claim: string;
}

/** A command's claim, as `claimCommand` gave it: its key and the claim's fencing token. */
export interface CommandClaim {
  readonly key: string;
  readonly claim: string;
}

/** What `complete` did: stored (with the messages it added), or nothing because a command's claim was lost. */
export type Completed = { readonly status: "written"; readonly messages: LeasedMessage[] } | { readonly status: "lost-claim" };

/** What a write fenced by a claim did: it landed, or the claim was not the current one any more and nothing was written. */
export type FencedWrite = "written" | "lost-claim";

/**
 * The durable side of answering commands (every job store). A command counts as handled only
 * once its outcome is stored: its claim is provisional (it lapses, so a redelivery after a crash
 * runs it again) until `complete` makes it final in the same atomic step that stores the
 * messages answering it (a transaction; on Cloud Storage, the creation of one object). Messages
 * are delivered at once by whoever stored them, and any that fail (GitHub down, a crash before
 * delivery) are taken again by any worker once due, with backoff, until delivered or given up.
 */
export interface Outbox {
  /**
   * Claims a command by its idempotency key: its claim (with a fencing token new at every claim)
   * when it was never seen, or when an earlier claim lapsed (`leaseMs` after it, its process
   * stored no outcome); undefined when it is handled or being handled.
   */
  claimCommand(key: string, leaseMs: number): Promise<CommandClaim | undefined>;
  /**
   * In one atomic step: the commands' claims become final and the messages are added, leased to
   * `worker` for `leaseMs` (it delivers them now); the messages added (not those whose key was
   * stored already) come back. Only while every claim is still current: a process whose claim
   * lapsed and was taken by another (which answers the command) gets `lost-claim`, and nothing
   * of its answer is stored.
   */
  complete(params: { commands: readonly CommandClaim[]; messages: readonly OutboxMessage[]; worker: string; leaseMs: number }): Promise<Completed>;
  /**
   * Releases a provisional claim of this claimer's (its command failed before it acted, or the
   * answer could not be stored), so a redelivery runs the command again. A claim another claimer
   * holds now (this one's lapsed and was taken) is left alone: `lost-claim`.
   */
  releaseCommand(claim: CommandClaim): Promise<FencedWrite>;
  /** Leases up to `limit` due messages (oldest first) to `worker`; two workers never get one message at once. */
  claimDue(params: { worker: string; leaseMs: number; limit: number }): Promise<LeasedMessage[]>;
  /**
   * Extends the lease to now + `leaseMs` (before a delivery late in a long batch). This and the
   * three below are the holder's writes: each is conditional on `claim` still being the
   * message's current lease, so a holder whose lease lapsed while it was slow (and whose message
   * another worker took) gets `lost-claim`, writes nothing, and must not write about it again.
   */
  renew(id: string, claim: string, leaseMs: number): Promise<FencedWrite>;
  delivered(id: string, claim: string): Promise<FencedWrite>;
  /** A failed delivery: counted, and due again at `at` (the lease ends). */
  retryAt(id: string, claim: string, params: { error: string; at: number }): Promise<FencedWrite>;
  /** A delivery that can never succeed (the comment was deleted, GitHub refuses it): kept, never tried again. */
  giveUp(id: string, claim: string, error: string): Promise<FencedWrite>;
  /** Messages not delivered and not given up, oldest first (tests, operators). */
  pending(): Promise<PendingMessage[]>;
}

/** Reads a stored action; `undefined` when it is damaged (the store gives the message up). */
export function readOutboxAction(value: unknown): OutboxAction | undefined {
  const parsed = outboxActionSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
