import type { GcsJobObjects } from "./gcs-job-objects.js";
import { statusOf } from "./gcs-objects.js";
import { isBatchId } from "./gcs-outbox-records.js";

/** One `unsent/<batch>` marker as listed: its batch, its due hint, its age. */
export interface UnsentMarker {
  readonly batch: string;
  /** No message of the batch is due before this (ms); NaN when the marker has no hint. */
  readonly dueAt: number;
  readonly ageMs: number;
}

/**
 * The `unsent/<batch>` markers of the Cloud Storage outbox: an empty object per batch that may
 * have undelivered messages, so the polls list them and never the history. Named by batch, so
 * deleting one never races a reuse. Custom metadata `dueAt` is a lower bound of its messages' due
 * times: polls read no batch whose hint is still to come. A hint too late only delays a message
 * until it comes (a crash between a batch's write and its hint's), never loses it.
 */
export class UnsentMarkers {
  constructor(private readonly objects: GcsJobObjects) {}

  async write(batch: string, dueAt: number): Promise<void> {
    await (await this.file(batch)).save("", { resumable: false, contentType: "text/plain", metadata: { metadata: { dueAt: String(dueAt) } } });
  }

  /** Brings the hint to `dueAt` (a failed delivery is due again sooner than its lease said). */
  async hint(batch: string, dueAt: number): Promise<void> {
    try {
      await (await this.file(batch)).setMetadata({ metadata: { dueAt: String(dueAt) } });
    } catch (e) {
      if (statusOf(e) !== 404) throw e; // its last message ended meanwhile
    }
  }

  async drop(batch: string): Promise<void> {
    await (await this.file(batch)).delete({ ignoreNotFound: true });
  }

  /** Every marker of a batch id we could have made (others are left alone). */
  async list(): Promise<UnsentMarker[]> {
    const now = Date.now();
    return (await this.objects.list("unsent/")).flatMap((file) => {
      const batch = file.name.slice(file.name.lastIndexOf("/") + 1);
      const ageMs = now - Date.parse(String(file.metadata.timeCreated));
      return isBatchId(batch) ? [{ batch, dueAt: Number(file.metadata.metadata?.dueAt), ageMs }] : [];
    });
  }

  private file(batch: string) {
    return this.objects.file(`unsent/${batch}`);
  }
}
