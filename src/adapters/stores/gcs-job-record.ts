import { createHash } from "node:crypto";
import { z } from "zod";
import { jobKinds, jobStates, type JobFields, type NewJob, type StoredJob } from "../../core/jobs/job.js";
import { isTerminal } from "../../core/jobs/job-states.js";
import { parseStoredJob } from "../../core/jobs/parse-stored-job.js";
import type { JobFilter } from "../../ports/job-store.js";

/** What the GCS store keeps beside the job: its place in the queue, the id of the write, the report lease. */
interface Bookkeeping {
  readonly leaseExpiresAt: number | null;
  /** Enqueue order: microseconds of the enqueue time, made unique and increasing per process. */
  readonly seq: number;
  /** A fresh id per write: tells our own write (landed, then retried by the client) from another's. */
  readonly rev: string;
  /** Who reports the job's end, until when (see `JobStore.claimReport`). */
  readonly reportLease?: { readonly worker: string; readonly until: number } | null;
}

/** A job as the GCS store keeps it: the job (or what could be read of a damaged one) and its bookkeeping. */
export type JobRecord = StoredJob & Bookkeeping;

const bookkeepingSchema = z.object({
  seq: z.number().catch(0),
  rev: z.string().catch(""),
  reportLease: z.object({ worker: z.string(), until: z.number() }).nullable().optional().catch(null),
});

/**
 * The record of a `jobs/<id>.json` object, parsed: the job with its kind's schemas (a damaged
 * one becomes an `UnreadableJob` saying what is wrong at `where`), and the store's bookkeeping.
 */
export function parseRecord(id: string, text: string, where: string): JobRecord {
  let data: unknown;
  let damaged: { what: "record"; message: string } | undefined;
  try {
    data = JSON.parse(text) as unknown;
  } catch (e) {
    damaged = { what: "record", message: `the job record is not JSON (${(e as Error).message})` };
  }
  const job = parseStoredJob({ id, record: data, where, damaged });
  const books = bookkeepingSchema.parse(typeof data === "object" && data !== null ? data : {});
  return { ...job, ...books, leaseExpiresAt: job.leaseExpiresAt ?? null };
}

/** The text of a record as stored (a damaged job keeps its input and result as they were, without the problem). */
export function serializeRecord(record: Omit<JobRecord, "input" | "result"> & { readonly input: unknown; readonly result: unknown }): string {
  const { problem: _problem, ...stored } = { problem: undefined, ...record };
  return JSON.stringify(stored);
}

/**
 * The job id of an idempotency key: a UUID (version 8, "custom") made of the key's SHA-256, so
 * every bot process names the same job for the same command, and creating its object is the
 * idempotent enqueue.
 */
export function jobIdFor(key: string): string {
  const hash = createHash("sha256").update(`mlops-bot job:${key}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Ids become object names: anything but letters, digits, `-` and `_` names no job. */
export function isSafeId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,128}$/.test(id);
}

let lastSeq = 0;

/** The text of a new job's record, queued now. */
export function newRecordText(job: NewJob, now: number, rev: string): { id: string; text: string } {
  lastSeq = Math.max(now * 1000, lastSeq + 1);
  const id = jobIdFor(job.key);
  const record = {
    ...job,
    id,
    state: "queued",
    checkRunId: null,
    reason: null,
    result: null,
    cancelRequested: false,
    reported: false,
    worker: null,
    leaseExpiresAt: null,
    claim: null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    seq: lastSeq,
    rev,
  };
  return { id, text: JSON.stringify(record) };
}

/** The job without the store's bookkeeping. */
export function toJob(record: JobRecord): StoredJob {
  const { seq: _seq, rev: _rev, reportLease: _reportLease, ...job } = record;
  return job;
}

/** Closed: ended and shown on GitHub. Nothing moves a closed job again, so it leaves `open/`. */
export function isClosed(job: Pick<JobFields, "state" | "reported">): boolean {
  return isTerminal(job.state) && job.reported;
}

/** Whether every job a filter can match is open, so listing `open/` finds them all. */
export function onlyOpenJobs(filter: JobFilter): boolean {
  if (filter.reported === false) return true;
  if (filter.state === undefined) return false;
  const states = typeof filter.state === "string" ? [filter.state] : filter.state;
  return states.every((s) => s === "queued" || s === "running");
}

/** The fields filters use, as the object's custom metadata: a listing can skip what cannot match. */
export function recordMetadata(job: StoredJob): Record<string, string> {
  return {
    state: job.state,
    kind: job.kind ?? "unreadable",
    owner: job.repo.owner,
    repo: job.repo.name,
    reported: String(job.reported),
    ...(job.group === null ? {} : { group: job.group }),
    ...(job.headRef === null ? {} : { headRef: job.headRef }),
  };
}

/** A job's filter fields, as a job or as the metadata of a listing. */
type FilterFields = Pick<StoredJob, "state" | "kind" | "group" | "headRef" | "reported"> & { readonly repo: { readonly owner: string; readonly name: string } };

const metadataSchema = z.object({
  state: z.enum(jobStates),
  kind: z.enum(jobKinds).nullable().catch(null),
  owner: z.string(),
  repo: z.string(),
  reported: z.enum(["true", "false"]),
  group: z.string().optional(),
  headRef: z.string().optional(),
});

/** The filter fields in a listing's metadata; undefined when they are missing or damaged (then the record is read). */
export function metadataFields(meta: Record<string, unknown>): FilterFields | undefined {
  const parsed = metadataSchema.safeParse(meta);
  if (!parsed.success) return undefined;
  const { state, kind, owner, repo, reported, group, headRef } = parsed.data;
  return { state, kind, group: group ?? null, headRef: headRef ?? null, reported: reported === "true", repo: { owner, name: repo } };
}

/** The same test as the SQLite store's WHERE clause. */
export function matchesFilter(job: FilterFields, filter: JobFilter): boolean {
  if (filter.state !== undefined) {
    const states = typeof filter.state === "string" ? [filter.state] : filter.state;
    if (!states.includes(job.state)) return false;
  }
  if (filter.kind && job.kind !== filter.kind) return false;
  if (filter.group && job.group !== filter.group) return false;
  if (filter.headRef && job.headRef !== filter.headRef) return false;
  if (filter.repo && (job.repo.owner !== filter.repo.owner || job.repo.name !== filter.repo.name)) return false;
  if (filter.reported !== undefined && job.reported !== filter.reported) return false;
  return true;
}

/** Queue order: enqueue order, then id. */
export function bySeq(a: JobRecord, b: JobRecord): number {
  return a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
