import { randomUUID } from "node:crypto";
import type { Bucket, File } from "@google-cloud/storage";
import { z } from "zod";
import type { JobFields } from "../../core/jobs/job.js";
import { formatGcsUrl, type GcsLocation } from "../../core/parse-gcs-url.js";
import type { JobFilter } from "../../ports/job-store.js";
import { isClosed, isSafeId, matchesFilter, metadataFields, parseRecord, recordMetadata, serializeRecord, type JobRecord } from "./gcs-job-record.js";
import { lazyBucket, mapLimit, readObject, statusOf } from "./gcs-objects.js";

/**
 * The objects of the GCS job store (see `GcsJobStore` for the layout): job records read and
 * written with generation preconditions, the `open/` markers, and listings.
 */
export class GcsJobObjects {
  readonly location: string;
  private readonly bucket: () => Promise<Bucket>;
  private readonly prefix: string;

  constructor(params: GcsLocation & { readonly apiEndpoint?: string | undefined }) {
    this.location = formatGcsUrl(params);
    this.prefix = params.prefix ? `${params.prefix}/` : "";
    this.bucket = lazyBucket(params, params.apiEndpoint);
  }

  /**
   * The compare-and-swap loop: read the job with its generation (or start from `first`, read
   * just before), let `decide` make the next version (undefined: no change), write it only if
   * the generation is unchanged; on 412 read again and decide again. Returns the latest version
   * and whether this call wrote it, or undefined when the job does not exist. Keeps `open/` in
   * step: the marker is written before a write that reopens a job, deleted after one that closes it.
   */
  async change(
    id: string,
    decide: (job: JobRecord) => JobRecord | undefined,
    first?: { record: JobRecord; generation: string },
  ): Promise<{ record: JobRecord; written: boolean } | undefined> {
    const file = await this.jobFile(id);
    let current = first ?? (await this.readRecord(id));
    for (let attempt = 1; current; attempt++) {
      const base = current.record;
      const next = decide(base);
      if (!next) return { record: base, written: false };
      const record: JobRecord = { ...next, rev: randomUUID() };
      if (isClosed(base) && !isClosed(record)) await this.writeMarker(record);
      try {
        await file.save(serializeRecord(record), {
          resumable: false,
          contentType: "application/json",
          metadata: { metadata: recordMetadata(record) },
          preconditionOpts: { ifGenerationMatch: current.generation },
        });
      } catch (e) {
        if (statusOf(e) !== 412) throw e;
        current = await this.readRecord(id);
        if (current?.record.rev !== record.rev) {
          if (attempt >= 50) throw new Error(`job ${id} changed under us ${attempt} times in a row`);
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * 2 ** attempt)));
          continue;
        }
        // A client retry of our write that had landed: the write is ours.
      }
      if (isClosed(record) && !isClosed(base)) await this.deleteMarker(record);
      return { record, written: true };
    }
    return undefined;
  }

  /** Creates the object unless it exists; true when this call created it (even through a client retry). */
  async createOnce(file: File, body: string, rev: string, metadata?: Record<string, string>): Promise<boolean> {
    try {
      await file.save(body, { resumable: false, contentType: "application/json", ...(metadata ? { metadata: { metadata } } : {}), preconditionOpts: { ifGenerationMatch: 0 } });
      return true;
    } catch (e) {
      if (statusOf(e) !== 412) throw e;
      const existing = await readObject(file);
      return existing !== undefined && revOf(existing.data.toString("utf8")) === rev;
    }
  }

  /** Every open job (of one group, if given) with its generation, reading the jobs of its markers (16 at a time). */
  async openRecords(group?: string | null): Promise<{ record: JobRecord; generation: string }[]> {
    const bucket = await this.bucket();
    const folder = group === undefined ? "open/" : `open/${markerGroup(group)}/`;
    const [markers] = await bucket.getFiles({ prefix: `${this.prefix}${folder}`, autoPaginate: true });
    const read = await mapLimit(markers, 16, async (marker) => {
      const id = marker.name.slice(marker.name.lastIndexOf("/") + 1);
      const found = isSafeId(id) ? await this.readRecord(id) : undefined;
      if (found && !isClosed(found.record)) return found;
      // Closed (a crash between closing and unmarking), or never written (a crash mid-enqueue, old).
      const age = Date.now() - Date.parse(String(marker.metadata.timeCreated));
      if (found || age > 10 * 60_000) await marker.delete({ ignoreNotFound: true });
      return undefined;
    });
    return read.filter((r) => r !== undefined);
  }

  /** Every job the filter may match, by listing `jobs/` and reading those whose metadata matches. */
  async scanRecords(filter: JobFilter): Promise<JobRecord[]> {
    const bucket = await this.bucket();
    const [files] = await bucket.getFiles({ prefix: `${this.prefix}jobs/`, autoPaginate: true });
    const candidates = files.filter((file) => {
      const fields = metadataFields(file.metadata.metadata ?? {});
      return fields === undefined || matchesFilter(fields, filter);
    });
    const read = await mapLimit(candidates, 16, (file) => this.readRecord(file.name.slice(file.name.lastIndexOf("/") + 1).replace(/\.json$/, "")));
    return read.flatMap((r) => (r ? [r.record] : []));
  }

  /** The objects under `folder` (a name ending in `/`, below the store's prefix). */
  async list(folder: string): Promise<File[]> {
    const [files] = await (await this.bucket()).getFiles({ prefix: `${this.prefix}${folder}`, autoPaginate: true });
    return files;
  }

  /** Where a job's record is, for problems: `gs://bucket/prefix/jobs/<id>.json`. */
  where(id: string): string {
    return `${this.location}/jobs/${id}.json`;
  }

  /** A changed record, parsed again as it will read back (with its kind's schemas). */
  reparse(draft: Omit<JobRecord, "input" | "result"> & { readonly input: unknown; readonly result: unknown }): JobRecord {
    return parseRecord(draft.id, serializeRecord(draft), this.where(draft.id));
  }

  /** A job's record with its generation, parsed (a damaged one is an `UnreadableJob`); undefined when missing. */
  async readRecord(id: string): Promise<{ record: JobRecord; generation: string } | undefined> {
    const file = await this.jobFile(id);
    const found = await readObject(file);
    return found && { record: parseRecord(id, found.data.toString("utf8"), this.where(id)), generation: found.generation };
  }

  async writeMarker(job: Pick<JobFields, "id" | "group">): Promise<void> {
    await (await this.file(`open/${markerGroup(job.group)}/${job.id}`)).save("", { resumable: false, contentType: "text/plain" });
  }

  async deleteMarker(job: Pick<JobFields, "id" | "group">): Promise<void> {
    await (await this.file(`open/${markerGroup(job.group)}/${job.id}`)).delete({ ignoreNotFound: true });
  }

  jobFile(id: string): Promise<File> {
    return this.file(`jobs/${id}.json`);
  }

  async file(name: string): Promise<File> {
    return (await this.bucket()).file(`${this.prefix}${name}`);
  }
}

/** The folder of a group's open markers: the URI-encoded group, `~` for none. */
function markerGroup(group: string | null): string {
  return group === null ? "~" : encodeURIComponent(group);
}

/** The `rev` an object (a job record, a command mark) was written with, if it has one. */
function revOf(text: string): string | undefined {
  try {
    const parsed = z.object({ rev: z.string() }).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.rev : undefined;
  } catch {
    return undefined;
  }
}
