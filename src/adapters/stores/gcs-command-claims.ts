import { randomUUID } from "node:crypto";
import type { File } from "@google-cloud/storage";
import type { CommandClaim, FencedWrite } from "../../ports/outbox.js";
import type { GcsJobObjects } from "./gcs-job-objects.js";
import { changeJson, readJson } from "./gcs-json-objects.js";
import { statusOf } from "./gcs-objects.js";
import { claimSchema } from "./gcs-outbox-records.js";

/** What the claims need to know of the outbox's batches (`GcsOutbox`). */
export interface BatchOutcomes {
  /** A batch's outcome; undefined while it is not decided. */
  outcome(id: string): Promise<"stored" | "abandoned" | undefined>;
  /** Its outcome, deciding it (abandoned) when its writer is gone. */
  decide(id: string): Promise<"stored" | "abandoned">;
}

/**
 * `commands/<key>`: commands' claims in Cloud Storage (see `GcsOutbox`), each written by
 * compare-and-swap. A provisional claim carries a fencing token, new at every claim: only its
 * holder points it at a batch, makes it final or releases it, so a claimer whose claim lapsed and
 * was claimed again changes nothing.
 */
export class GcsCommandClaims {
  constructor(
    private readonly objects: GcsJobObjects,
    private readonly now: () => number,
    private readonly batches: BatchOutcomes,
  ) {}

  /** A new claim (see `Outbox.claimCommand`). */
  async claim(key: string, leaseMs: number): Promise<CommandClaim | undefined> {
    const now = this.now();
    const token = randomUUID();
    const { written } = await changeJson(await this.file(key), claimSchema, async (current) => {
      const fresh = { key, at: now, pendingUntil: now + leaseMs, batch: null, token };
      if ("missing" in current) return fresh;
      if ("damaged" in current) return undefined; // an unreadable mark counts as handled: never run twice
      const claim = current.value;
      if (claim.pendingUntil === null || claim.pendingUntil === undefined || claim.pendingUntil >= now) return undefined;
      // Lapsed: its process died, unless it stored the batch that makes the claim final.
      if (claim.batch && (await this.batches.decide(claim.batch)) === "stored") return undefined;
      return fresh;
    }, { missingFirst: true });
    return written ? { key, claim: token } : undefined;
  }

  /** Deletes this claimer's provisional claim, unless another claimer wrote it since (see `Outbox.releaseCommand`). */
  async release(claim: CommandClaim): Promise<FencedWrite> {
    const file = await this.file(claim.key);
    const read = await readJson(file, claimSchema);
    const mine = read && "value" in read && read.value.token === claim.claim && read.value.pendingUntil !== null && read.value.pendingUntil !== undefined;
    if (!mine) return "lost-claim";
    if (read.value.batch && (await this.batches.decide(read.value.batch)) === "stored") return "lost-claim"; // final: its answer is stored
    try {
      await file.delete({ ifGenerationMatch: read.generation }); // not if another claimer wrote it since
      return "written";
    } catch (e) {
      if (statusOf(e) === 412) return "lost-claim";
      if (statusOf(e) === 404) return "written"; // a retried delete that had landed
      throw e;
    }
  }

  /** A claim whose command needs no message, made final (there is nothing to store with it); false when it is not this claimer's. */
  async finish(command: CommandClaim): Promise<boolean> {
    let held = false;
    await changeJson(await this.file(command.key), claimSchema, (current) => {
      held = "value" in current && current.value.token === command.claim;
      return held && "value" in current && current.value.pendingUntil !== null && current.value.pendingUntil !== undefined
        ? { ...current.value, pendingUntil: null, batch: null }
        : undefined;
    });
    return held;
  }

  /**
   * Makes a provisional claim name the batch whose creation will make it final; false when the
   * claim is not this claimer's any more (it lapsed and another process claimed the command, or
   * it was forgotten), so the batch must not be stored.
   */
  async point(command: CommandClaim, batch: string): Promise<boolean> {
    let held = false;
    await changeJson(await this.file(command.key), claimSchema, async (current) => {
      held = false;
      if (!("value" in current)) return undefined; // forgotten, or unreadable (which counts as final)
      const claim = current.value;
      if (claim.token !== command.claim || claim.pendingUntil === null || claim.pendingUntil === undefined) return undefined;
      if (claim.batch !== batch && claim.batch && (await this.batches.outcome(claim.batch)) === "stored") return undefined;
      held = true;
      return claim.batch === batch ? undefined : { ...claim, batch };
    });
    return held;
  }

  private file(key: string): Promise<File> {
    return this.objects.file(`commands/${encodeURIComponent(key)}`);
  }
}
