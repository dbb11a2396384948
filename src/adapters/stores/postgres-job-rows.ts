import type { NewJob, StoredJob } from "../../core/jobs/job.js";
import { parseStoredJob } from "../../core/jobs/parse-stored-job.js";
import type { JobFilter } from "../../ports/job-store.js";
import { columnsToRecord, newJobColumns } from "./job-columns.js";

/**
 * The job in a row (BIGINT as numbers, JSONB parsed), parsed with its kind's schemas: a row that
 * does not fit (edited by hand, written by an older bot, a bug) is an `UnreadableJob` naming the
 * job, the field and the store, never a throw and never a cast.
 */
export function rowToJob(row: unknown, location: string): StoredJob {
  const r: Record<string, unknown> = typeof row === "object" && row !== null ? { ...row } : {};
  const id = typeof r.id === "string" ? r.id : "?";
  const record = columnsToRecord(r, { input: r.input, result: r.result ?? null, cancelRequested: r.cancel_requested, reported: r.reported });
  return parseStoredJob({ id, record, where: `${location} (job ${id})` });
}

/** The columns and values of a new job's row, in `INSERT` order. */
export function newJobRow(id: string, job: NewJob, now: number): { columns: string; values: unknown[] } {
  const row = { id, ...newJobColumns(job, jsonParam), state: "queued", created_at: now };
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
