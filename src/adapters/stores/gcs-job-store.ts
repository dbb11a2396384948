import { randomUUID } from "node:crypto";
import { StorageError } from "../../core/errors.js";
import type { JobKind, JobResult, JobState, NewJob, StoredJob, TerminalJobState } from "../../core/jobs/job.js";
import { canTransition, isTerminal } from "../../core/jobs/job-states.js";
import type { FinishResult, JobFilter, JobStore, TransitionPatch } from "../../ports/job-store.js";
import { bySeq, isClosed, isSafeId, matchesFilter, newRecordText, onlyOpenJobs, parseRecord, recordMetadata, toJob, type JobRecord } from "./gcs-job-record.js";
import { GcsJobObjects } from "./gcs-job-objects.js";
import { parseGcsUrl, type GcsLocation } from "../../core/parse-gcs-url.js";
import { readObject } from "./gcs-objects.js";
import { GcsOutbox } from "./gcs-outbox.js";
import type { FencedWrite } from "../../ports/outbox.js";

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
 *   commands/<key>    A command's claim or mark, by URI-encoded idempotency key; deleted to forget it.
 *   outbox/, outbox-keys/, unsent/
 *                     Commands' answers not yet on GitHub, and the claims they make final: see `GcsOutbox`.
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
 *   re-checking the lease in the same compare-and-swap, so a lease renewed meanwhile is never taken. Each claim
 *   carries a fencing token (`claim`): renewals and the job's end (`finish`) are decided on it, so
 *   a worker whose lease lapsed and whose job was taken over writes nothing. Reporting an end is
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
  readonly outbox: GcsOutbox;
  private readonly objects: GcsJobObjects;
  private readonly now: () => number;

  constructor(params: GcsLocation & { readonly apiEndpoint?: string | undefined; readonly now?: () => number }) {
    this.objects = new GcsJobObjects(params);
    this.location = this.objects.location;
    this.now = params.now ?? Date.now;
    this.outbox = new GcsOutbox(this.objects, () => this.now(), (what, fn) => this.guard(what, fn));
  }

  /** The store at `gs://bucket/prefix`; a malformed URL is a `StorageError` saying what is wrong. */
  static fromUrl(url: string, options: { apiEndpoint?: string | undefined; now?: () => number } = {}): GcsJobStore {
    const parsed = parseGcsUrl(url);
    if (!parsed.ok) throw new StorageError(parsed.error);
    return new GcsJobStore({ ...parsed.value, ...options });
  }

  async enqueue(job: NewJob): Promise<{ job: StoredJob; created: boolean }> {
    return this.guard(`enqueue ${job.key}`, async () => {
      const rev = randomUUID();
      const { id, text } = newRecordText(job, this.now(), rev);
      const record = parseRecord(id, text, this.objects.where(id));
      await this.objects.writeMarker(record);
      if (await this.objects.createOnce(await this.objects.jobFile(id), text, rev, recordMetadata(record))) return { job: toJob(record), created: true };
      const existing = await this.objects.readRecord(id);
      if (!existing) throw new Error(`job ${id} exists and does not`);
      if (isClosed(existing.record)) await this.objects.deleteMarker(existing.record);
      return { job: toJob(existing.record), created: false };
    });
  }

  async get(id: string): Promise<StoredJob | undefined> {
    if (!isSafeId(id)) return undefined;
    return this.guard(`read job ${id}`, async () => {
      const found = await this.objects.readRecord(id);
      return found && toJob(found.record);
    });
  }

  async list(filter: JobFilter): Promise<StoredJob[]> {
    return this.guard("list jobs", async () => {
      const records = onlyOpenJobs(filter) ? (await this.objects.openRecords(filter.group || undefined)).map((r) => r.record) : await this.objects.scanRecords(filter);
      return records.filter((r) => matchesFilter(r, filter)).sort(bySeq).map(toJob);
    });
  }

  async claimNext(params: { worker: string; kinds: readonly JobKind[]; leaseMs?: number }): Promise<StoredJob | undefined> {
    if (params.kinds.length === 0) return undefined;
    return this.guard("claim a job", async () => {
      const queued = (await this.objects.openRecords()).filter((r) => r.record.state === "queued" && r.record.kind !== null && params.kinds.includes(r.record.kind));
      queued.sort((a, b) => bySeq(a.record, b.record));
      for (const candidate of queued) {
        const claimed = await this.objects.change(
          candidate.record.id,
          (job) => {
            if (job.state !== "queued") return undefined;
            const now = this.now();
            return { ...job, state: "running", worker: params.worker, claim: randomUUID(), startedAt: now, leaseExpiresAt: params.leaseMs === undefined ? null : now + params.leaseMs };
          },
          candidate,
        );
        if (claimed?.written) return toJob(claimed.record);
      }
      return undefined;
    });
  }

  async renewLease(params: { id: string; claim: string; leaseMs: number }): Promise<boolean> {
    if (!isSafeId(params.id)) return false;
    return this.guard(`renew the lease of job ${params.id}`, async () => {
      const renewed = await this.objects.change(params.id, (job) =>
        job.state === "running" && job.claim === params.claim ? { ...job, leaseExpiresAt: this.now() + params.leaseMs } : undefined,
      );
      return renewed?.written === true;
    });
  }

  async claimReport(params: { id: string; worker: string; leaseMs: number }): Promise<boolean> {
    if (!isSafeId(params.id)) return false;
    return this.guard(`claim the report of job ${params.id}`, async () => {
      const claimed = await this.objects.change(params.id, (job) => {
        const now = this.now();
        const lease = job.reportLease;
        if (!isTerminal(job.state) || job.reported) return undefined;
        if (lease && lease.worker !== params.worker && lease.until >= now) return undefined;
        return { ...job, reportLease: { worker: params.worker, until: now + params.leaseMs } };
      });
      return claimed?.written === true;
    });
  }

  async markReported(params: { id: string; worker: string }): Promise<FencedWrite> {
    if (!isSafeId(params.id)) return "lost-claim";
    return this.guard(`mark job ${params.id} reported`, async () => {
      const marked = await this.objects.change(params.id, (job) =>
        isTerminal(job.state) && job.reportLease?.worker === params.worker && !job.reported ? { ...job, reported: true } : undefined,
      );
      return marked?.written || (marked?.record.reported === true && marked.record.reportLease?.worker === params.worker) ? "written" : "lost-claim";
    });
  }

  async claimExpired(params: { worker: string; leaseMs: number }): Promise<StoredJob[]> {
    return this.guard("take over expired leases", async () => {
      const expired = (record: JobRecord) => record.state === "running" && record.leaseExpiresAt !== null && record.leaseExpiresAt < this.now();
      const taken: JobRecord[] = [];
      for (const candidate of (await this.objects.openRecords()).filter((r) => expired(r.record))) {
        const claimed = await this.objects.change(
          candidate.record.id,
          (job) => {
            if (!expired(job)) return undefined;
            const claim = job.worker === params.worker && job.claim ? job.claim : randomUUID(); // its own claim stays its own
            return { ...job, worker: params.worker, claim, leaseExpiresAt: this.now() + params.leaseMs };
          },
          candidate,
        );
        if (claimed?.written) taken.push(claimed.record);
      }
      return taken.sort(bySeq).map(toJob);
    });
  }

  async transition(id: string, from: JobState, to: JobState, patch: TransitionPatch = {}): Promise<StoredJob | undefined> {
    if (!canTransition(from, to)) throw new StorageError(`job ${id}: a job cannot go from ${from} to ${to}`);
    if (!isSafeId(id)) return undefined;
    return this.guard(`move job ${id} from ${from} to ${to}`, async () => {
      const moved = await this.objects.change(id, (job) => {
        if (job.state !== from) return undefined;
        const now = this.now();
        // Parsed again with the kind's schemas, so a result of the wrong shape reads back as a problem.
        return this.objects.reparse({
          ...job,
          state: to,
          startedAt: to === "running" ? now : job.startedAt,
          finishedAt: isTerminal(to) ? now : job.finishedAt,
          leaseExpiresAt: isTerminal(to) ? null : job.leaseExpiresAt,
          reason: patch.reason === undefined ? job.reason : patch.reason,
          result: patch.result === undefined ? job.result : patch.result,
        });
      });
      return moved?.written ? toJob(moved.record) : undefined;
    });
  }

  async finish(params: { id: string; claim: string; to: TerminalJobState; reason?: string | null; result?: JobResult | undefined }): Promise<FinishResult> {
    if (!canTransition("running", params.to)) throw new StorageError(`job ${params.id}: a job cannot go from running to ${params.to}`);
    if (!isSafeId(params.id)) return { status: "lost-claim" };
    return this.guard(`end job ${params.id} (${params.to})`, async () => {
      const ended = await this.objects.change(params.id, (job) => {
        if (job.state !== "running" || job.claim !== params.claim) return undefined;
        return this.objects.reparse({
          ...job,
          state: params.to,
          finishedAt: this.now(),
          leaseExpiresAt: null,
          reason: params.reason === undefined ? job.reason : params.reason,
          result: params.result === undefined ? job.result : params.result,
        });
      });
      return ended?.written ? { status: "written", job: toJob(ended.record) } : { status: "lost-claim" };
    });
  }

  async update(id: string, patch: { checkRunId?: number; cancelRequested?: boolean; reported?: boolean; reason?: string }): Promise<StoredJob> {
    const missing = () => new StorageError(`job ${id} does not exist`);
    if (!isSafeId(id)) throw missing();
    return this.guard(`update job ${id}`, async () => {
      const updated = await this.objects.change(id, (job) => {
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
      return this.objects.createOnce(await this.objects.file(`commands/${encodeURIComponent(key)}`), JSON.stringify({ key, at: this.now(), rev }), rev);
    });
  }

  async forgetCommand(key: string): Promise<void> {
    await this.guard(`forget command ${key}`, async () => {
      await (await this.objects.file(`commands/${encodeURIComponent(key)}`)).delete({ ignoreNotFound: true });
    });
  }

  async getFact(key: string): Promise<string | undefined> {
    return this.guard(`read fact ${key}`, async () => {
      const found = await readObject(await this.objects.file(`facts/${encodeURIComponent(key)}`));
      return found?.data.toString("utf8");
    });
  }

  async setFact(key: string, value: string): Promise<void> {
    await this.guard(`write fact ${key}`, async () => {
      await (await this.objects.file(`facts/${encodeURIComponent(key)}`)).save(value, { resumable: false, contentType: "text/plain; charset=utf-8" });
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
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

