import { randomUUID } from "node:crypto";
import type { Bucket, File } from "@google-cloud/storage";
import { StorageError } from "../../core/errors.js";
import type { Job, JobKind, JobState, NewJob } from "../../core/jobs/job.js";
import { canTransition, isTerminal } from "../../core/jobs/job-states.js";
import type { JobFilter, JobStore, TransitionPatch } from "../../ports/job-store.js";
import {
  bySeq,
  isClosed,
  isSafeId,
  matchesFilter,
  metadataFields,
  newRecord,
  onlyOpenJobs,
  recordMetadata,
  toJob,
  type JobRecord,
} from "./gcs-job-record.js";
import { formatGcsUrl, parseGcsUrl, type GcsLocation } from "../../core/parse-gcs-url.js";
import { lazyBucket, mapLimit, readObject, statusOf } from "./gcs-objects.js";

/**
 * The job store shared by several bot processes (Cloud Run instances), in Cloud Storage objects
 * under `gs://bucket/prefix`, with no other database:
 *
 *   jobs/<id>.json    One job: its JSON record, plus `seq` (enqueue order) and `rev` (the id of
 *                     the write that made this version). The id is derived from the idempotency
 *                     key (a UUID of its SHA-256), so every process names the same job for the
 *                     same command. Custom metadata repeats the fields filters use (state, kind,
 *                     group, owner, repo, headRef, reported): a full listing reads only matches.
 *   open/<group>/<id> Empty marker of a job that is not closed (queued, running, or ended but not
 *                     yet reported), under its URI-encoded group (`~` for none): claims and polls
 *                     list `open/`, superseding lists `open/<group>/`, neither reads the history.
 *                     Written before the record that opens a job, deleted after the write that
 *                     closes it; a reader drops a marker whose job is closed (a crash in between).
 *   commands/<key>    A handled command, by URI-encoded idempotency key; deleted to forget it.
 *   facts/<key>       A fact's value (sticky comment ids, fork approvals), by URI-encoded key.
 *
 * Preconditions (Cloud Storage generations) make it safe without locks:
 * - Create-if-absent (`ifGenerationMatch: 0`) for what must happen once: `jobs/<id>.json` on
 *   enqueue (a redelivered command finds the job and creates nothing) and `commands/<key>`.
 * - Compare-and-swap (`ifGenerationMatch: <generation read>`) for every change of a job record:
 *   read it with its generation, decide on what was read, write; on 412 (another process wrote
 *   first) read again and decide again. A move is decided on the state it moves from, so no job
 *   is ever moved twice, and a claim has exactly one winner. The client library retries requests
 *   that carry a precondition; a retry of a write that had landed fails with 412, so each write
 *   carries a fresh `rev`, and reading our own `rev` back means the write is ours.
 * - Claims are leases (`leaseExpiresAt`): the worker renews its lease while it runs the job;
 *   once a lease lapses, any worker's `claimExpired` takes the job over (to resume or fail it),
 *   re-checking the lease in the same compare-and-swap, so a lease renewed meanwhile is never taken. Reporting an end is
 *   leased the same way (`reportLease` in the record), so one instance reports it.
 * Facts are plain overwrites (the last writer wins, as with the SQLite upsert). Deletes carry no
 * precondition: only markers and forgotten commands are deleted, and a marker is deleted only
 * once its job is closed, which is final.
 *
 * Cost: a poll lists `open/` (one request) and reads each open job; a group's open jobs cost a
 * listing of `open/<group>/` and a read of each; a full listing (history:
 * the base branch's last run) lists `jobs/` and reads only the jobs whose metadata matches.
 */
export class GcsJobStore implements JobStore {
  readonly shared = true;
  readonly location: string;
  private readonly bucket: () => Promise<Bucket>;
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(params: GcsLocation & { readonly apiEndpoint?: string | undefined; readonly now?: () => number }) {
    this.location = formatGcsUrl(params);
    this.prefix = params.prefix ? `${params.prefix}/` : "";
    this.bucket = lazyBucket(params, params.apiEndpoint);
    this.now = params.now ?? Date.now;
  }

  /** The store at `gs://bucket/prefix`; a malformed URL is a `StorageError` saying what is wrong. */
  static fromUrl(url: string, options: { apiEndpoint?: string | undefined; now?: () => number } = {}): GcsJobStore {
    const parsed = parseGcsUrl(url);
    if (!parsed.ok) throw new StorageError(parsed.error);
    return new GcsJobStore({ ...parsed.value, ...options });
  }

  async enqueue(job: NewJob): Promise<{ job: Job; created: boolean }> {
    return this.guard(`enqueue ${job.key}`, async () => {
      const record = newRecord(job, this.now(), randomUUID());
      await this.writeMarker(record);
      const file = await this.jobFile(record.id);
      if (await this.createOnce(file, JSON.stringify(record), record.rev, recordMetadata(record))) return { job: toJob(record), created: true };
      const existing = await this.readRecord(file);
      if (!existing) throw new Error(`job ${record.id} exists and does not`);
      if (isClosed(existing.record)) await this.deleteMarker(existing.record);
      return { job: toJob(existing.record), created: false };
    });
  }

  async get(id: string): Promise<Job | undefined> {
    if (!isSafeId(id)) return undefined;
    return this.guard(`read job ${id}`, async () => {
      const found = await this.readRecord(await this.jobFile(id));
      return found && toJob(found.record);
    });
  }

  async list(filter: JobFilter): Promise<Job[]> {
    return this.guard("list jobs", async () => {
      const records = onlyOpenJobs(filter) ? (await this.openRecords(filter.group || undefined)).map((r) => r.record) : await this.scanRecords(filter);
      return records.filter((r) => matchesFilter(r, filter)).sort(bySeq).map(toJob);
    });
  }

  async claimNext(params: { worker: string; kinds: readonly JobKind[]; leaseMs?: number }): Promise<Job | undefined> {
    if (params.kinds.length === 0) return undefined;
    return this.guard("claim a job", async () => {
      const queued = (await this.openRecords()).filter((r) => r.record.state === "queued" && params.kinds.includes(r.record.kind));
      queued.sort((a, b) => bySeq(a.record, b.record));
      for (const candidate of queued) {
        const claimed = await this.change(
          candidate.record.id,
          (job) => {
            if (job.state !== "queued") return undefined;
            const now = this.now();
            return { ...job, state: "running", worker: params.worker, startedAt: now, leaseExpiresAt: params.leaseMs === undefined ? null : now + params.leaseMs };
          },
          candidate,
        );
        if (claimed?.written) return toJob(claimed.record);
      }
      return undefined;
    });
  }

  async renewLease(params: { id: string; worker: string; leaseMs: number }): Promise<boolean> {
    if (!isSafeId(params.id)) return false;
    return this.guard(`renew the lease of job ${params.id}`, async () => {
      const renewed = await this.change(params.id, (job) =>
        job.state === "running" && job.worker === params.worker ? { ...job, leaseExpiresAt: this.now() + params.leaseMs } : undefined,
      );
      return renewed?.written === true;
    });
  }

  async claimReport(params: { id: string; worker: string; leaseMs: number }): Promise<boolean> {
    if (!isSafeId(params.id)) return false;
    return this.guard(`claim the report of job ${params.id}`, async () => {
      const claimed = await this.change(params.id, (job) => {
        const now = this.now();
        const lease = job.reportLease;
        if (!isTerminal(job.state) || job.reported) return undefined;
        if (lease && lease.worker !== params.worker && lease.until >= now) return undefined;
        return { ...job, reportLease: { worker: params.worker, until: now + params.leaseMs } };
      });
      return claimed?.written === true;
    });
  }

  async claimExpired(params: { worker: string; leaseMs: number }): Promise<Job[]> {
    return this.guard("take over expired leases", async () => {
      const expired = (record: JobRecord) => record.state === "running" && record.leaseExpiresAt !== null && record.leaseExpiresAt < this.now();
      const taken: JobRecord[] = [];
      for (const candidate of (await this.openRecords()).filter((r) => expired(r.record))) {
        const claimed = await this.change(
          candidate.record.id,
          (job) => (expired(job) ? { ...job, worker: params.worker, leaseExpiresAt: this.now() + params.leaseMs } : undefined),
          candidate,
        );
        if (claimed?.written) taken.push(claimed.record);
      }
      return taken.sort(bySeq).map(toJob);
    });
  }

  async transition(id: string, from: JobState, to: JobState, patch: TransitionPatch = {}): Promise<Job | undefined> {
    if (!canTransition(from, to)) throw new StorageError(`job ${id}: a job cannot go from ${from} to ${to}`);
    if (!isSafeId(id)) return undefined;
    return this.guard(`move job ${id} from ${from} to ${to}`, async () => {
      const moved = await this.change(id, (job) => {
        if (job.state !== from) return undefined;
        const now = this.now();
        return {
          ...job,
          state: to,
          startedAt: to === "running" ? now : job.startedAt,
          finishedAt: isTerminal(to) ? now : job.finishedAt,
          leaseExpiresAt: isTerminal(to) ? null : job.leaseExpiresAt,
          reason: patch.reason === undefined ? job.reason : patch.reason,
          result: patch.result === undefined ? job.result : (JSON.parse(JSON.stringify(patch.result)) as unknown),
        };
      });
      return moved?.written ? toJob(moved.record) : undefined;
    });
  }

  async update(id: string, patch: { checkRunId?: number; cancelRequested?: boolean; reported?: boolean; reason?: string }): Promise<Job> {
    const missing = () => new StorageError(`job ${id} does not exist`);
    if (!isSafeId(id)) throw missing();
    return this.guard(`update job ${id}`, async () => {
      const updated = await this.change(id, (job) => {
        const next = {
          ...job,
          checkRunId: patch.checkRunId ?? job.checkRunId,
          cancelRequested: patch.cancelRequested ?? job.cancelRequested,
          reported: patch.reported ?? job.reported,
          reason: patch.reason ?? job.reason,
        };
        const same = next.checkRunId === job.checkRunId && next.cancelRequested === job.cancelRequested && next.reported === job.reported && next.reason === job.reason;
        return same ? undefined : next;
      });
      if (!updated) throw missing();
      return toJob(updated.record);
    });
  }

  async markCommandSeen(key: string): Promise<boolean> {
    return this.guard(`mark command ${key}`, async () => {
      const rev = randomUUID();
      return this.createOnce(await this.file(`commands/${encodeURIComponent(key)}`), JSON.stringify({ key, at: this.now(), rev }), rev);
    });
  }

  async forgetCommand(key: string): Promise<void> {
    await this.guard(`forget command ${key}`, async () => {
      await (await this.file(`commands/${encodeURIComponent(key)}`)).delete({ ignoreNotFound: true });
    });
  }

  async getFact(key: string): Promise<string | undefined> {
    return this.guard(`read fact ${key}`, async () => {
      const found = await readObject(await this.file(`facts/${encodeURIComponent(key)}`));
      return found?.data.toString("utf8");
    });
  }

  async setFact(key: string, value: string): Promise<void> {
    await this.guard(`write fact ${key}`, async () => {
      await (await this.file(`facts/${encodeURIComponent(key)}`)).save(value, { resumable: false, contentType: "text/plain; charset=utf-8" });
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * The compare-and-swap loop: read the job with its generation (or start from `first`, read
   * just before), let `decide` make the next version (undefined: no change), write it only if
   * the generation is unchanged; on 412 read again and decide again. Returns the latest version
   * and whether this call wrote it, or undefined when the job does not exist. Keeps `open/` in
   * step: the marker is written before a write that reopens a job, deleted after one that closes it.
   */
  private async change(
    id: string,
    decide: (job: JobRecord) => Omit<JobRecord, "rev"> | undefined,
    first?: { record: JobRecord; generation: string },
  ): Promise<{ record: JobRecord; written: boolean } | undefined> {
    const file = await this.jobFile(id);
    let current = first ?? (await this.readRecord(file));
    for (let attempt = 1; current; attempt++) {
      const base = current.record;
      const next = decide(base);
      if (!next) return { record: base, written: false };
      const record: JobRecord = { ...next, rev: randomUUID() };
      if (isClosed(base) && !isClosed(record)) await this.writeMarker(record);
      try {
        await file.save(JSON.stringify(record), {
          resumable: false,
          contentType: "application/json",
          metadata: { metadata: recordMetadata(record) },
          preconditionOpts: { ifGenerationMatch: current.generation },
        });
      } catch (e) {
        if (statusOf(e) !== 412) throw e;
        current = await this.readRecord(file);
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
  private async createOnce(file: File, body: string, rev: string, metadata?: Record<string, string>): Promise<boolean> {
    try {
      await file.save(body, { resumable: false, contentType: "application/json", ...(metadata ? { metadata: { metadata } } : {}), preconditionOpts: { ifGenerationMatch: 0 } });
      return true;
    } catch (e) {
      if (statusOf(e) !== 412) throw e;
      const existing = await readObject(file);
      return existing !== undefined && (JSON.parse(existing.data.toString("utf8")) as { rev?: string }).rev === rev;
    }
  }

  /** Every open job (of one group, if given) with its generation, reading the jobs of its markers (16 at a time). */
  private async openRecords(group?: string | null): Promise<{ record: JobRecord; generation: string }[]> {
    const bucket = await this.bucket();
    const folder = group === undefined ? "open/" : `open/${markerGroup(group)}/`;
    const [markers] = await bucket.getFiles({ prefix: `${this.prefix}${folder}`, autoPaginate: true });
    const read = await mapLimit(markers, 16, async (marker) => {
      const id = marker.name.slice(marker.name.lastIndexOf("/") + 1);
      const found = isSafeId(id) ? await this.readRecord(await this.jobFile(id)) : undefined;
      if (found && !isClosed(found.record)) return found;
      // Closed (a crash between closing and unmarking), or never written (a crash mid-enqueue, old).
      const age = Date.now() - Date.parse(String(marker.metadata.timeCreated));
      if (found || age > 10 * 60_000) await marker.delete({ ignoreNotFound: true });
      return undefined;
    });
    return read.filter((r) => r !== undefined);
  }

  /** Every job the filter may match, by listing `jobs/` and reading those whose metadata matches. */
  private async scanRecords(filter: JobFilter): Promise<JobRecord[]> {
    const bucket = await this.bucket();
    const [files] = await bucket.getFiles({ prefix: `${this.prefix}jobs/`, autoPaginate: true });
    const candidates = files.filter((file) => {
      const fields = metadataFields(file.metadata.metadata ?? {});
      return fields === undefined || matchesFilter(fields, filter);
    });
    const read = await mapLimit(candidates, 16, (file) => this.readRecord(bucket.file(file.name)));
    return read.flatMap((r) => (r ? [r.record] : []));
  }

  private async readRecord(file: File): Promise<{ record: JobRecord; generation: string } | undefined> {
    const found = await readObject(file);
    return found && { record: JSON.parse(found.data.toString("utf8")) as JobRecord, generation: found.generation };
  }

  private async writeMarker(job: Pick<Job, "id" | "group">): Promise<void> {
    await (await this.file(`open/${markerGroup(job.group)}/${job.id}`)).save("", { resumable: false, contentType: "text/plain" });
  }

  private async deleteMarker(job: Pick<Job, "id" | "group">): Promise<void> {
    await (await this.file(`open/${markerGroup(job.group)}/${job.id}`)).delete({ ignoreNotFound: true });
  }

  private jobFile(id: string): Promise<File> {
    return this.file(`jobs/${id}.json`);
  }

  private async file(name: string): Promise<File> {
    return (await this.bucket()).file(`${this.prefix}${name}`);
  }

  /** Runs one store operation; a Cloud Storage failure becomes a `StorageError` naming what and where. */
  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof StorageError) throw e;
      throw new StorageError(`cannot ${what} in the job store at ${this.location}: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** The folder of a group's open markers: the URI-encoded group, `~` for none. */
function markerGroup(group: string | null): string {
  return group === null ? "~" : encodeURIComponent(group);
}
