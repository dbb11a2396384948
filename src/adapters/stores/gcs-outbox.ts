import { randomUUID } from "node:crypto";
import type { File } from "@google-cloud/storage";
import { StorageError } from "../../core/errors.js";
import { readOutboxAction, type CommandClaim, type Completed, type FencedWrite, type LeasedMessage, type Outbox, type OutboxMessage, type PendingMessage } from "../../ports/outbox.js";
import type { GcsJobObjects } from "./gcs-job-objects.js";
import { changeJson, readJson, writeJsonIf } from "./gcs-json-objects.js";
import { mapLimit } from "./gcs-objects.js";
import { GcsCommandClaims } from "./gcs-command-claims.js";
import { UnsentMarkers } from "./gcs-outbox-markers.js";
import {
  batchSchema,
  newMessage,
  parseMessageId,
  reservationSchema,
  toLeased,
  toPending,
  type Batch,
  type StoredMessage,
} from "./gcs-outbox-records.js";

/** A batch whose marker is this old and that was never stored is abandoned: its writer is gone. */
export const BATCH_COMMIT_MS = 60_000;

/** Runs one store operation (the store's `guard`: a failure becomes a `StorageError` naming it). */
export type Guard = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

/**
 * The Cloud Storage store's outbox (see `Outbox`), with no transactions: every step is one
 * object written with a generation precondition. Objects, under the store's prefix:
 *
 *   commands/<key>     A command's claim (`GcsCommandClaims`): provisional until it lapses,
 *                      final once the batch it names is stored.
 *   outbox/<batch>.json One `complete` call: the commands it answers and its messages with their
 *                      delivery states. Created once (`ifGenerationMatch: 0`): that write is the
 *                      commit, so "claims final + answer stored" is one conditional write.
 *   outbox-keys/<key>  Which batch holds the message of this key (keys are unique).
 *   unsent/<batch>     Marker of a batch that may have undelivered messages, with a due hint
 *                      (`UnsentMarkers`): the polls list these, never the history.
 *
 * `complete`: point each claim at a fresh batch id (compare-and-swap on the claim, only while it
 * still carries this claimer's token; else the batch is abandoned and `lost-claim` returned), write the
 * marker and reserve each message's key for the batch (all at once), then create the batch.
 * Until that last write, the claims are provisional and the reservations count for nothing. A
 * process that finds a batch undecided whose writer must be gone (a lapsed claim names it, its
 * key is wanted again and it stays undecided for 1.5 s, or its marker is over a minute old)
 * decides it by creating it as `abandoned`; exactly one of that and the commit succeeds, so a
 * late writer's commit fails (its delivery fails and a redelivery answers) and no command is
 * answered twice or lost. Commands with no message to store (a `/train`: its job is its
 * outcome) need no batch: each claim is made final on its own object.
 */
export class GcsOutbox implements Outbox {
  private readonly markers: UnsentMarkers;
  private readonly claims: GcsCommandClaims;

  constructor(
    private readonly objects: GcsJobObjects,
    private readonly now: () => number,
    private readonly guard: Guard,
    /** How long a batch's writer has to store it after writing its marker (tests shorten it). */
    private readonly commitMs = BATCH_COMMIT_MS,
  ) {
    this.markers = new UnsentMarkers(objects);
    this.claims = new GcsCommandClaims(objects, now, { outcome: (id) => this.outcome(id), decide: (id) => this.decide(id) });
  }

  claimCommand(key: string, leaseMs: number): Promise<CommandClaim | undefined> {
    return this.guard(`claim command ${key}`, () => this.claims.claim(key, leaseMs));
  }

  releaseCommand(claim: CommandClaim): Promise<FencedWrite> {
    return this.guard(`release command ${claim.key}`, () => this.claims.release(claim));
  }

  complete(params: { commands: readonly CommandClaim[]; messages: readonly OutboxMessage[]; worker: string; leaseMs: number }): Promise<Completed> {
    const { commands, messages } = params;
    if (commands.length === 0 && messages.length === 0) return Promise.resolve({ status: "written", messages: [] });
    const keys = commands.map((c) => c.key);
    return this.guard(`store the answer to ${keys.join(", ") || "a command"}`, async (): Promise<Completed> => {
      if (messages.length === 0) {
        // Nothing to store with them: each claim is made final on its own object (one write).
        const held = await Promise.all(commands.map((c) => this.claims.finish(c)));
        return held.every(Boolean) ? { status: "written", messages: [] } : { status: "lost-claim" };
      }
      const id = randomUUID();
      const now = this.now();
      // Everything the commit needs first, at once: none of it depends on another.
      const [held, , reserved] = await Promise.all([
        Promise.all(commands.map((c) => this.claims.point(c, id))),
        this.markers.write(id, now + params.leaseMs),
        Promise.all(messages.map((m) => this.reserve(m.key, id))),
      ]);
      if (!held.every(Boolean)) {
        // Another process took a claim over (it answers the command): this answer is never stored.
        await this.decide(id);
        await this.markers.drop(id);
        return { status: "lost-claim" };
      }
      const kept = messages.filter((_, i) => reserved[i]).map((m) => newMessage(m, { dueAt: now + params.leaseMs, holder: params.worker, claim: id }));
      if (commands.length === 0 && kept.length === 0) {
        await this.markers.drop(id); // every message is stored already: nothing to commit
        return { status: "written", messages: [] };
      }
      const batch: Batch = { rev: randomUUID(), outcome: "stored", commands: keys, createdAt: now, messages: kept };
      if (!(await writeJsonIf(await this.batchFile(id), batch, "0"))) {
        throw new StorageError(`another process abandoned this answer while it was being stored (it found the writer gone); a redelivery answers the comment`);
      }
      return { status: "written", messages: kept.flatMap((_, i) => toLeased(id, i, batch) ?? []) };
    });
  }

  claimDue(params: { worker: string; leaseMs: number; limit: number }): Promise<LeasedMessage[]> {
    return this.guard("claim due outbox messages", async () => {
      const now = this.now();
      const due = (await this.unsent(now))
        .flatMap(({ id, batch }) => batch.messages.map((m, index) => ({ id, index, m })))
        .filter(({ m }) => m.state === "pending" && m.dueAt <= now)
        .sort((a, b) => a.m.dueAt - b.m.dueAt);
      const out: LeasedMessage[] = [];
      for (const id of new Set(due.map((d) => d.id))) {
        if (out.length >= params.limit) break;
        out.push(...(await this.lease(id, { ...params, limit: params.limit - out.length, now })));
      }
      return out;
    });
  }

  renew(id: string, claim: string, leaseMs: number): Promise<FencedWrite> {
    return this.changeMessage(id, claim, `renew the lease of outbox message ${id}`, (m) => ({ ...m, dueAt: this.now() + leaseMs }));
  }

  delivered(id: string, claim: string): Promise<FencedWrite> {
    return this.changeMessage(id, claim, `mark outbox message ${id} delivered`, (m) => ({ ...m, state: "delivered", holder: null, claim: null, endedAt: this.now() }));
  }

  retryAt(id: string, claim: string, params: { error: string; at: number }): Promise<FencedWrite> {
    return this.changeMessage(id, claim, `reschedule outbox message ${id}`, (m) => ({ ...m, attempts: m.attempts + 1, lastError: params.error, dueAt: params.at, holder: null, claim: null }));
  }

  giveUp(id: string, claim: string, error: string): Promise<FencedWrite> {
    const ended = { state: "given_up" as const, lastError: error, endedAt: this.now(), holder: null, claim: null };
    return this.changeMessage(id, claim, `give up outbox message ${id}`, (m) => ({ ...m, ...ended, attempts: m.attempts + 1 }));
  }

  pending(): Promise<PendingMessage[]> {
    return this.guard("list the outbox", async () => {
      const batches = (await this.unsent()).sort((a, b) => a.batch.createdAt - b.batch.createdAt);
      return batches.flatMap(({ id, batch }) => batch.messages.flatMap((m, i) => (m.state === "pending" ? (toPending(id, i, batch) ?? []) : [])));
    });
  }

  /** Leases this batch's due messages (up to `limit`) to `worker`; a damaged one is given up, never performed. */
  private async lease(id: string, params: { worker: string; leaseMs: number; limit: number; now: number }): Promise<LeasedMessage[]> {
    let taken: number[] = [];
    const claim = randomUUID();
    const { current, written } = await changeJson(await this.batchFile(id), batchSchema, (read) => {
      taken = [];
      if (!("value" in read) || read.value.outcome !== "stored") return undefined;
      let changed = false;
      const messages = read.value.messages.map((m, i): StoredMessage => {
        if (m.state !== "pending" || m.dueAt > params.now) return m;
        if (!readOutboxAction(m.action)) {
          changed = true;
          return { ...m, state: "given_up", attempts: m.attempts + 1, lastError: "the stored action is damaged", endedAt: params.now, holder: null, claim: null };
        }
        if (taken.length >= params.limit) return m;
        changed = true;
        taken.push(i);
        return { ...m, holder: params.worker, claim, dueAt: params.now + params.leaseMs };
      });
      return changed ? { ...read.value, messages } : undefined;
    });
    return written && "value" in current ? taken.flatMap((i) => toLeased(id, i, current.value) ?? []) : [];
  }

  /** One holder's write: only while `claim` is the pending message's current lease (compare-and-swap on the batch). */
  private changeMessage(id: string, claim: string, what: string, change: (m: StoredMessage) => StoredMessage): Promise<FencedWrite> {
    const parsed = parseMessageId(id);
    if (!parsed) return Promise.resolve("lost-claim");
    return this.guard(what, async () => {
      const { current, written } = await changeJson(await this.batchFile(parsed.batch), batchSchema, (read) => {
        const m = "value" in read ? read.value.messages[parsed.index] : undefined;
        const next = m && m.state === "pending" && m.claim === claim ? change(m) : undefined;
        return next && "value" in read ? { ...read.value, messages: read.value.messages.map((old, i) => (i === parsed.index ? next : old)) } : undefined;
      });
      if (!written || !("value" in current)) return "lost-claim";
      // No message of a batch ever becomes pending again, so its marker goes once none is.
      const due = current.value.messages.filter((m) => m.state === "pending").map((m) => m.dueAt);
      if (due.length === 0) await this.markers.drop(parsed.batch);
      else await this.markers.hint(parsed.batch, Math.min(...due));
      return "written";
    });
  }

  /** Reserves a message key for the batch: true unless a stored batch (or this one) holds it already. */
  private async reserve(key: string, batch: string): Promise<boolean> {
    const { written } = await changeJson(await this.reservationFile(key), reservationSchema, async (current) => {
      const mine = { key, batch, at: this.now() };
      if (!("value" in current)) return mine; // missing, or unreadable: nothing says it was stored
      if (current.value.batch === batch) return undefined;
      // Another batch holds it: stored, it keeps it; being stored right now, it gets a moment; else it is abandoned.
      return (await this.settle(current.value.batch)) === "stored" ? undefined : mine;
    }, { missingFirst: true });
    return written;
  }

  /**
   * The batches behind `unsent/` markers that have undelivered messages (with `dueBy`, only those
   * whose marker's hint says one may be due by then); drops the markers of the rest.
   */
  private async unsent(dueBy?: number): Promise<Array<{ id: string; batch: Batch }>> {
    const markers = (await this.markers.list()).filter((m) => dueBy === undefined || !(m.dueAt > dueBy));
    const read = await mapLimit(markers, 16, async ({ batch: id, ageMs }) => {
      const found = await readJson(await this.batchFile(id), batchSchema);
      if (!found) {
        if (!(ageMs > this.commitMs) || (await this.decide(id)) === "stored") return undefined; // its writer may still be storing it
        await this.markers.drop(id);
        return undefined;
      }
      if ("value" in found && found.value.outcome === "stored" && found.value.messages.some((m) => m.state === "pending")) return { id, batch: found.value };
      await this.markers.drop(id); // abandoned, all ended, or damaged: nothing left to deliver
      return undefined;
    });
    return read.flatMap((r) => r ?? []);
  }

  /** A batch's outcome; undefined while it is not decided. A damaged batch counts as stored: its commands are never run twice. */
  private async outcome(id: string): Promise<"stored" | "abandoned" | undefined> {
    const read = await readJson(await this.batchFile(id), batchSchema);
    return !read ? undefined : "damaged" in read ? "stored" : read.value.outcome;
  }

  /**
   * Decides a batch another process may be storing right now (two deliveries of one comment
   * reserving its 👀): waits up to 1.5 s for its writer, which commits within milliseconds of its
   * reservations when alive, so a live writer's delivery is not failed needlessly; then decides it.
   */
  private async settle(id: string): Promise<"stored" | "abandoned"> {
    for (let waitMs = 50; waitMs <= 800; waitMs *= 2) {
      const known = await this.outcome(id);
      if (known) return known;
      await new Promise((r) => setTimeout(r, waitMs));
    }
    return this.decide(id);
  }

  /** Decides a batch: its outcome if it has one, else abandoned (unless its writer stores it first). */
  private async decide(id: string): Promise<"stored" | "abandoned"> {
    const known = await this.outcome(id);
    if (known) return known;
    const abandoned: Batch = { rev: randomUUID(), outcome: "abandoned", commands: [], createdAt: this.now(), messages: [] };
    if (await writeJsonIf(await this.batchFile(id), abandoned, "0")) return "abandoned";
    const now = await this.outcome(id);
    if (!now) throw new Error(`outbox batch ${id} exists and does not`);
    return now;
  }

  private batchFile(id: string): Promise<File> {
    return this.objects.file(`outbox/${id}.json`);
  }

  private reservationFile(key: string): Promise<File> {
    return this.objects.file(`outbox-keys/${encodeURIComponent(key)}`);
  }
}
