import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { StorageError } from "../../core/errors.js";
import type { JobKind, JobResult, JobState, NewJob, StoredJob, TerminalJobState } from "../../core/jobs/job.js";
import { canTransition } from "../../core/jobs/job-states.js";
import type { FinishResult, JobFilter, JobStore, TransitionPatch } from "../../ports/job-store.js";
import type { FencedWrite, Outbox } from "../../ports/outbox.js";
import { addLeaseColumns, newJobParams, rowToJob, sqliteSchema, type Row } from "./sqlite-job-rows.js";
import { addOutboxTables, SqliteOutbox } from "./sqlite-outbox.js";

/**
 * The embedded job store: one SQLite file (WAL), safe for several processes on one machine.
 * Claims and transitions are single UPDATE statements guarded by the current state; a claim with
 * `leaseMs` is a lease that its worker renews and that another worker takes over (`claimExpired`) once it lapses;
 * each claim has a fencing token (`claim`), and renewals and the job's end (`finish`) are conditional on it;
 * reporting an end is leased too (`claimReport`). Commands' answers go through its outbox (`SqliteOutbox`).
 */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly file: string;
  readonly outbox: Outbox;

  constructor(file: string, options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    this.file = file;
    try {
      if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
      this.db = new Database(file);
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("busy_timeout = 5000");
      this.db.pragma("synchronous = NORMAL");
      this.db.exec(sqliteSchema);
      addLeaseColumns(this.db);
      addOutboxTables(this.db);
    } catch (e) {
      throw new StorageError(`cannot open the job store at ${file}: ${(e as Error).message}`, { cause: e });
    }
    this.outbox = new SqliteOutbox(this.db, this.now);
  }

  enqueue(job: NewJob): Promise<{ job: StoredJob; created: boolean }> {
    const id = randomUUID();
    const now = this.now();
    const insert = this.db.prepare(
      `INSERT INTO jobs (id, kind, key, grp, state, owner, repo, installation_id, pr, head_sha, head_ref, base_ref, base_sha,
         requested_by, comment_id, input, seq, created_at)
       VALUES (@id, @kind, @key, @grp, 'queued', @owner, @repo, @installation_id, @pr, @head_sha, @head_ref, @base_ref, @base_sha,
         @requested_by, @comment_id, @input, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), @created_at)
       ON CONFLICT(key) DO NOTHING`,
    );
    const info = insert.run({ ...newJobParams(job), id, created_at: now });
    const row = this.db.prepare("SELECT * FROM jobs WHERE key = ?").get(job.key) as Row;
    return Promise.resolve({ job: this.toJob(row), created: info.changes === 1 });
  }

  get(id: string): Promise<StoredJob | undefined> {
    const row = this.db.prepare("SELECT * FROM jobs WHERE id = ?").get(id) as Row | undefined;
    return Promise.resolve(row && this.toJob(row));
  }

  list(filter: JobFilter): Promise<StoredJob[]> {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (filter.state !== undefined) {
      const states = typeof filter.state === "string" ? [filter.state] : filter.state;
      where.push(`state IN (${states.map((_, i) => `@state${i}`).join(", ") || "NULL"})`);
      states.forEach((s, i) => (args[`state${i}`] = s));
    }
    const equal = (column: string, value: unknown) => {
      where.push(`${column} = @${column}`);
      args[column] = value;
    };
    if (filter.kind) equal("kind", filter.kind);
    if (filter.group) equal("grp", filter.group);
    if (filter.headRef) equal("head_ref", filter.headRef);
    if (filter.repo) {
      where.push("owner = @owner AND repo = @repo");
      args.owner = filter.repo.owner;
      args.repo = filter.repo.name;
    }
    if (filter.reported !== undefined) equal("reported", filter.reported ? 1 : 0);
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq`;
    return Promise.resolve((this.db.prepare(sql).all(args) as Row[]).map((row) => this.toJob(row)));
  }

  claimNext(params: { worker: string; kinds: readonly JobKind[]; leaseMs?: number }): Promise<StoredJob | undefined> {
    if (params.kinds.length === 0) return Promise.resolve(undefined);
    const kinds = params.kinds.map((_, i) => `@k${i}`).join(", ");
    const now = this.now();
    const args: Record<string, unknown> = { worker: params.worker, now, lease: params.leaseMs === undefined ? null : now + params.leaseMs, claim: randomUUID() };
    params.kinds.forEach((k, i) => (args[`k${i}`] = k));
    const row = this.db
      .prepare(
        `UPDATE jobs SET state = 'running', worker = @worker, started_at = @now, lease_expires_at = @lease, claim = @claim
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND kind IN (${kinds}) ORDER BY seq LIMIT 1)
           AND state = 'queued'
         RETURNING *`,
      )
      .get(args) as Row | undefined;
    return Promise.resolve(row && this.toJob(row));
  }

  transition(id: string, from: JobState, to: JobState, patch: TransitionPatch = {}): Promise<StoredJob | undefined> {
    if (!canTransition(from, to)) {
      return Promise.reject(new StorageError(`job ${id}: a job cannot go from ${from} to ${to}`));
    }
    const terminal = to !== "running";
    const sets = ["state = @to"];
    if (terminal) sets.push("finished_at = @now", "lease_expires_at = NULL");
    if (to === "running") sets.push("started_at = @now");
    if (patch.reason !== undefined) sets.push("reason = @reason");
    if (patch.result !== undefined) sets.push("result = @result");
    const row = this.db
      .prepare(`UPDATE jobs SET ${sets.join(", ")} WHERE id = @id AND state = @from RETURNING *`)
      .get({
        id,
        from,
        to,
        now: this.now(),
        reason: patch.reason ?? null,
        result: patch.result === undefined ? null : JSON.stringify(patch.result),
      }) as Row | undefined;
    return Promise.resolve(row && this.toJob(row));
  }

  finish(params: { id: string; claim: string; to: TerminalJobState; reason?: string | null; result?: JobResult | undefined }): Promise<FinishResult> {
    if (!canTransition("running", params.to)) return Promise.reject(new StorageError(`job ${params.id}: a job cannot go from running to ${params.to}`));
    const sets = ["state = @to", "finished_at = @now", "lease_expires_at = NULL"];
    if (params.reason !== undefined) sets.push("reason = @reason");
    if (params.result !== undefined) sets.push("result = @result");
    const row = this.db.prepare(`UPDATE jobs SET ${sets.join(", ")} WHERE id = @id AND state = 'running' AND claim = @claim RETURNING *`).get({
      id: params.id,
      claim: params.claim,
      to: params.to,
      now: this.now(),
      reason: params.reason ?? null,
      result: params.result === undefined ? null : JSON.stringify(params.result),
    }) as Row | undefined;
    return Promise.resolve(row ? { status: "written", job: this.toJob(row) } : { status: "lost-claim" });
  }

  update(id: string, patch: { checkRunId?: number; cancelRequested?: boolean; reported?: boolean; reason?: string }): Promise<StoredJob> {
    const sets: string[] = [];
    if (patch.checkRunId !== undefined) sets.push("check_run_id = @check_run_id");
    if (patch.cancelRequested !== undefined) sets.push("cancel_requested = @cancel_requested");
    if (patch.reported !== undefined) sets.push("reported = @reported");
    if (patch.reason !== undefined) sets.push("reason = @reason");
    const row = this.db.prepare(`UPDATE jobs SET ${sets.join(", ") || "id = id"} WHERE id = @id RETURNING *`).get({
      id,
      check_run_id: patch.checkRunId ?? null,
      cancel_requested: patch.cancelRequested ? 1 : 0,
      reported: patch.reported ? 1 : 0,
      reason: patch.reason ?? null,
    }) as Row | undefined;
    if (!row) return Promise.reject(new StorageError(`job ${id} does not exist`));
    return Promise.resolve(this.toJob(row));
  }

  renewLease(params: { id: string; claim: string; leaseMs: number }): Promise<boolean> {
    const info = this.db
      .prepare("UPDATE jobs SET lease_expires_at = @until WHERE id = @id AND state = 'running' AND claim = @claim")
      .run({ id: params.id, claim: params.claim, until: this.now() + params.leaseMs });
    return Promise.resolve(info.changes === 1);
  }

  claimReport(params: { id: string; worker: string; leaseMs: number }): Promise<boolean> {
    const now = this.now();
    const info = this.db
      .prepare(
        `UPDATE jobs SET reporter = @worker, report_lease_until = @until
         WHERE id = @id AND state NOT IN ('queued', 'running') AND reported = 0
           AND (reporter IS NULL OR reporter = @worker OR report_lease_until < @now)`,
      )
      .run({ id: params.id, worker: params.worker, until: now + params.leaseMs, now });
    return Promise.resolve(info.changes === 1);
  }

  markReported(params: { id: string; worker: string }): Promise<FencedWrite> {
    const info = this.db.prepare("UPDATE jobs SET reported = 1 WHERE id = @id AND state NOT IN ('queued', 'running') AND reporter = @worker").run(params);
    return Promise.resolve(info.changes === 1 ? "written" : "lost-claim");
  }

  claimExpired(params: { worker: string; leaseMs: number }): Promise<StoredJob[]> {
    const now = this.now();
    const rows = this.db
      .prepare(
        `UPDATE jobs SET worker = @worker, lease_expires_at = @until, claim = CASE WHEN worker = @worker AND claim IS NOT NULL THEN claim ELSE @claim END
         WHERE state = 'running' AND lease_expires_at IS NOT NULL AND lease_expires_at < @now
         RETURNING *`,
      )
      .all({ worker: params.worker, until: now + params.leaseMs, now, claim: randomUUID() }) as Row[];
    return Promise.resolve(rows.sort((a, b) => a.created_at - b.created_at).map((row) => this.toJob(row)));
  }

  markCommandSeen(key: string): Promise<boolean> {
    const info = this.db.prepare("INSERT INTO commands_seen (key, at) VALUES (?, ?) ON CONFLICT(key) DO NOTHING").run(key, this.now());
    return Promise.resolve(info.changes === 1);
  }

  forgetCommand(key: string): Promise<void> {
    this.db.prepare("DELETE FROM commands_seen WHERE key = ?").run(key);
    return Promise.resolve();
  }

  getFact(key: string): Promise<string | undefined> {
    const row = this.db.prepare("SELECT value FROM facts WHERE key = ?").get(key) as { value: string } | undefined;
    return Promise.resolve(row?.value);
  }

  setFact(key: string, value: string): Promise<void> {
    this.db
      .prepare("INSERT INTO facts (key, value, at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, at = excluded.at")
      .run(key, value, this.now());
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }

  private toJob(row: Row): StoredJob {
    return rowToJob(row, this.file);
  }
}
