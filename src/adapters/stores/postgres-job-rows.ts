import { z } from "zod";
import { StorageError } from "../../core/errors.js";
import { jobKinds, jobStates, type Job, type NewJob } from "../../core/jobs/job.js";
import type { JobFilter } from "../../ports/job-store.js";

const int = z.number().int();
const text = z.string();

/** A `jobs` row as the database returns it (BIGINT as numbers, JSONB parsed): checked, never cast. */
const jobRowSchema = z.object({
  id: text,
  kind: z.enum(jobKinds),
  key: text,
  grp: text.nullable(),
  state: z.enum(jobStates),
  owner: text,
  repo: text,
  installation_id: int,
  pr: int.nullable(),
  head_sha: text,
  head_ref: text.nullable(),
  base_ref: text.nullable(),
  base_sha: text.nullable(),
  requested_by: text,
  comment_id: int.nullable(),
  input: z.record(z.string(), z.unknown()),
  check_run_id: int.nullable(),
  reason: text.nullable(),
  result: z.unknown(),
  cancel_requested: z.boolean(),
  reported: z.boolean(),
  worker: text.nullable(),
  lease_expires_at: int.nullable(),
  created_at: int,
  started_at: int.nullable(),
  finished_at: int.nullable(),
});

/** The job in a row; a row that does not fit (edited by hand, a bug) is a `StorageError` naming the job and the field. */
export function rowToJob(row: unknown, location: string): Job {
  const parsed = jobRowSchema.safeParse(row);
  if (!parsed.success) {
    const id = typeof row === "object" && row !== null && "id" in row ? String(row.id) : "?";
    throw new StorageError(`job ${id} in the job store at ${location} is not a valid record: ${z.prettifyError(parsed.error).replace(/\n/g, " ")}`);
  }
  const r = parsed.data;
  return {
    id: r.id,
    kind: r.kind,
    key: r.key,
    group: r.grp,
    state: r.state,
    repo: { owner: r.owner, name: r.repo, installationId: r.installation_id },
    pr: r.pr,
    headSha: r.head_sha,
    headRef: r.head_ref,
    baseRef: r.base_ref,
    baseSha: r.base_sha,
    requestedBy: r.requested_by,
    commentId: r.comment_id,
    input: r.input,
    checkRunId: r.check_run_id,
    reason: r.reason,
    result: r.result ?? null,
    cancelRequested: r.cancel_requested,
    reported: r.reported,
    worker: r.worker,
    leaseExpiresAt: r.lease_expires_at,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** The columns and values of a new job's row, in `INSERT` order. */
export function newJobRow(id: string, job: NewJob, now: number): { columns: string; values: unknown[] } {
  const row: Record<string, unknown> = {
    id,
    kind: job.kind,
    key: job.key,
    grp: job.group,
    state: "queued",
    owner: job.repo.owner,
    repo: job.repo.name,
    installation_id: job.repo.installationId,
    pr: job.pr,
    head_sha: job.headSha,
    head_ref: job.headRef,
    base_ref: job.baseRef,
    base_sha: job.baseSha,
    requested_by: job.requestedBy,
    comment_id: job.commentId,
    input: jsonParam(job.input),
    created_at: now,
  };
  return { columns: Object.keys(row).join(", "), values: Object.values(row) };
}

/** A WHERE clause (or `""`) and its parameters, numbered from `$1`: the same tests as the SQLite store's. */
export function filterToSql(filter: JobFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.state !== undefined) add((p) => `state = ANY(${p}::text[])`, typeof filter.state === "string" ? [filter.state] : [...filter.state]);
  if (filter.kind) add((p) => `kind = ${p}`, filter.kind);
  if (filter.group) add((p) => `grp = ${p}`, filter.group);
  if (filter.headRef) add((p) => `head_ref = ${p}`, filter.headRef);
  if (filter.repo) {
    add((p) => `owner = ${p}`, filter.repo.owner);
    add((p) => `repo = ${p}`, filter.repo.name);
  }
  if (filter.reported !== undefined) add((p) => `reported = ${p}`, filter.reported);
  return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

/**
 * PostgreSQL text and JSONB cannot hold U+0000, which a hostile pipeline can print into a job's
 * reason or result: it is stored as U+FFFD (�), so the write never fails on it.
 */
export function textParam(value: unknown): unknown {
  return typeof value === "string" ? value.replaceAll("\u0000", "\uFFFD") : value;
}

/** A JSON value as a JSONB parameter, with U+0000 in its strings and keys stored as U+FFFD. */
export function jsonParam(value: unknown): string {
  return JSON.stringify(withoutNul(value));
}

function withoutNul(value: unknown): unknown {
  if (typeof value === "string") return textParam(value);
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [textParam(k), withoutNul(v)]));
  }
  return value;
}
