import { createHash } from "node:crypto";
import type { Job, NewJob } from "../../core/jobs/job.js";
import { isTerminal } from "../../core/jobs/job-states.js";
import type { JobFilter } from "../../ports/job-store.js";

/** A job as the GCS store keeps it: the job, its place in the queue, and the id of the write. */
export interface JobRecord extends Job {
  readonly leaseExpiresAt: number | null;
  /** Enqueue order: microseconds of the enqueue time, made unique and increasing per process. */
  readonly seq: number;
  /** A fresh id per write: tells our own write (landed, then retried by the client) from another's. */
  readonly rev: string;
  /** Who reports the job's end, until when (see `JobStore.claimReport`). */
  readonly reportLease?: { readonly worker: string; readonly until: number } | null;
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

/** The record of a new job, queued now. */
export function newRecord(job: NewJob, now: number, rev: string): JobRecord {
  lastSeq = Math.max(now * 1000, lastSeq + 1);
  return {
    id: jobIdFor(job.key),
    kind: job.kind,
    key: job.key,
    group: job.group,
    state: "queued",
    repo: { owner: job.repo.owner, name: job.repo.name, installationId: job.repo.installationId },
    pr: job.pr,
    headSha: job.headSha,
    headRef: job.headRef,
    baseRef: job.baseRef,
    baseSha: job.baseSha,
    requestedBy: job.requestedBy,
    commentId: job.commentId,
    input: JSON.parse(JSON.stringify(job.input)) as Record<string, unknown>,
    checkRunId: null,
    reason: null,
    result: null,
    cancelRequested: false,
    reported: false,
    worker: null,
    leaseExpiresAt: null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    seq: lastSeq,
    rev,
  };
}

/** The job without the store's bookkeeping. */
export function toJob(record: JobRecord): Job {
  const { seq: _seq, rev: _rev, reportLease: _reportLease, ...job } = record;
  return job;
}

/** Closed: ended and shown on GitHub. Nothing moves a closed job again, so it leaves `open/`. */
export function isClosed(job: Job): boolean {
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
export function recordMetadata(job: Job): Record<string, string> {
  return {
    state: job.state,
    kind: job.kind,
    owner: job.repo.owner,
    repo: job.repo.name,
    reported: String(job.reported),
    ...(job.group === null ? {} : { group: job.group }),
    ...(job.headRef === null ? {} : { headRef: job.headRef }),
  };
}

/** A job's filter fields, as a job or as the metadata of a listing. */
type FilterFields = Pick<Job, "state" | "kind" | "group" | "headRef" | "reported"> & { readonly repo: { readonly owner: string; readonly name: string } };

export function metadataFields(meta: Record<string, unknown>): FilterFields | undefined {
  const text = (key: string) => (typeof meta[key] === "string" ? meta[key] : undefined);
  const [state, kind, owner, repo, reported] = [text("state"), text("kind"), text("owner"), text("repo"), text("reported")];
  if (!state || !kind || owner === undefined || repo === undefined || reported === undefined) return undefined;
  return {
    state: state as Job["state"],
    kind: kind as Job["kind"],
    group: text("group") ?? null,
    headRef: text("headRef") ?? null,
    reported: reported === "true",
    repo: { owner, name: repo },
  };
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
