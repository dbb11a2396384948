import type Database from "better-sqlite3";
import type { NewJob, StoredJob } from "../../core/jobs/job.js";
import { parseStoredJob } from "../../core/jobs/parse-stored-job.js";
import { columnsToRecord, newJobColumns } from "./job-columns.js";

/** The SQLite job store's tables: jobs, handled commands, facts. */
export const sqliteSchema = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  grp TEXT,
  state TEXT NOT NULL,
  owner TEXT NOT NULL,
  repo TEXT NOT NULL,
  installation_id INTEGER NOT NULL,
  pr INTEGER,
  head_sha TEXT NOT NULL,
  head_ref TEXT,
  base_ref TEXT,
  base_sha TEXT,
  requested_by TEXT NOT NULL,
  comment_id INTEGER,
  input TEXT NOT NULL,
  check_run_id INTEGER,
  reason TEXT,
  result TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  reported INTEGER NOT NULL DEFAULT 0,
  worker TEXT,
  seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, seq);
CREATE INDEX IF NOT EXISTS jobs_group ON jobs(grp, state);
CREATE TABLE IF NOT EXISTS commands_seen (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, value TEXT NOT NULL, at INTEGER NOT NULL);
`;

/** A row of `jobs`, as better-sqlite3 returns it. */
export interface Row {
  id: string;
  kind: string;
  key: string;
  grp: string | null;
  state: string;
  owner: string;
  repo: string;
  installation_id: number;
  pr: number | null;
  head_sha: string;
  head_ref: string | null;
  base_ref: string | null;
  base_sha: string | null;
  requested_by: string;
  comment_id: number | null;
  input: string;
  check_run_id: number | null;
  reason: string | null;
  result: string | null;
  cancel_requested: number;
  reported: number;
  worker: string | null;
  lease_expires_at: number | null;
  claim: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** Databases made before leases (or their fencing tokens) get their columns; two processes racing to add one both succeed. */
export function addLeaseColumns(db: Database.Database): void {
  const columns = new Set((db.prepare("PRAGMA table_info(jobs)").all() as { name: string }[]).map((c) => c.name));
  for (const [name, type] of [
    ["lease_expires_at", "INTEGER"],
    ["reporter", "TEXT"],
    ["report_lease_until", "INTEGER"],
    ["claim", "TEXT"],
  ] as const) {
    if (columns.has(name)) continue;
    try {
      db.exec(`ALTER TABLE jobs ADD COLUMN ${name} ${type}`);
    } catch (e) {
      if (!/duplicate column/i.test((e as Error).message)) throw e;
    }
  }
}

/** A row -> the job of its kind, parsed with that kind's schemas (a damaged row: an `UnreadableJob`). */
export function rowToJob(row: Row, where: string): StoredJob {
  const damaged: Array<{ what: "input" | "result"; message: string }> = [];
  const json = (column: "input" | "result"): unknown => {
    const text = row[column];
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      damaged.push({ what: column, message: `the job's \`${column}\` is not JSON (${(e as Error).message})` });
      return text;
    }
  };
  const record = columnsToRecord({ ...row }, { input: json("input"), result: json("result"), cancelRequested: row.cancel_requested === 1, reported: row.reported === 1 });
  return parseStoredJob({ id: row.id, record, where: `${where} (job ${row.id})`, damaged: damaged[0] });
}

/** The named parameters of a new job's INSERT. */
export function newJobParams(job: NewJob): Record<string, unknown> {
  return newJobColumns(job, (input) => JSON.stringify(input));
}
