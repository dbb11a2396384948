import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import { StorageError } from "../../core/errors.js";
import type { JobKind, JobResult, JobState, NewJob, StoredJob, TerminalJobState } from "../../core/jobs/job.js";
import { canTransition } from "../../core/jobs/job-states.js";
import { redactPostgresUrl } from "../../core/parse-postgres-url.js";
import { redact } from "../../core/redact.js";
import type { FinishResult, JobFilter, JobStore, TransitionPatch } from "../../ports/job-store.js";
import { connectPostgres, type PostgresConnection, type PostgresTarget } from "./postgres-connection.js";
import { filterToSql, jsonParam, newJobRow, rowToJob, textParam } from "./postgres-job-rows.js";
import { PostgresListener } from "./postgres-listener.js";
import { PostgresOutbox } from "./postgres-outbox.js";
import type { FencedWrite } from "../../ports/outbox.js";
import { isSchemaName, migrate } from "./postgres-migrations.js";

/** What an operation gets: queries whose text parameters have U+0000 replaced (see `textParam`). */
interface Queryable {
  query(sql: string, params: unknown[]): Promise<pg.QueryResult>;
}

const factRow = z.object({ value: z.string() });

const ENDED = "state IN ('succeeded', 'failed', 'cancelled', 'timed_out')";

export interface PostgresJobStoreOptions extends PostgresTarget {
  /** The schema that holds the store's tables (default `mlops_bot`); created by the first migration. */
  readonly schema?: string;
  /** Connections per store (default 4; `watch` adds one of its own). */
  readonly poolSize?: number;
  readonly now?: () => number;
}

/**
 * The job store for several bot instances on one PostgreSQL database (Cloud SQL in the cloud).
 * Tables live in their own schema, migrated in order under an advisory lock when the store is
 * first used (`postgres-migrations.ts`). A job's idempotency key is a unique index, so a
 * redelivered command finds its job; a claim locks the oldest queued row with
 * `FOR UPDATE SKIP LOCKED`, so racing workers take different jobs and never wait on each other;
 * every state move is one `UPDATE … WHERE state = <from>`, so exactly one of two racing moves
 * wins. Claims are leases (`lease_expires_at`, in the bot's clock) that the worker renews and
 * that another worker takes over once they lapse; reporting an end is leased too. Enqueues and
 * cancel requests `NOTIFY` the channel `<schema>.jobs`, which `watch` listens on.
 */
export class PostgresJobStore implements JobStore {
  readonly shared = true;
  /** The URL without its password (messages, logs). */
  readonly location: string;
  /** Commands' answers (`PostgresOutbox`, migration 2). */
  readonly outbox: PostgresOutbox;
  private readonly schema: string;
  private readonly t: { jobs: string; commands: string; facts: string };
  private readonly now: () => number;
  private readonly secrets: string[];
  private pool: Promise<{ pool: pg.Pool; connection: PostgresConnection }> | undefined;
  private listener: PostgresListener | undefined;
  private closed = false;

  constructor(private readonly options: PostgresJobStoreOptions) {
    this.schema = options.schema ?? "mlops_bot";
    if (!isSchemaName(this.schema)) throw new StorageError(`"${this.schema}" is not a schema name the job store accepts (lowercase letters, digits and _)`);
    this.location = `${redactPostgresUrl(options.url)}${options.cloudSql ? ` (Cloud SQL ${options.cloudSql.instance})` : ""}`;
    const s = `"${this.schema}"`;
    this.t = { jobs: `${s}.jobs`, commands: `${s}.commands_seen`, facts: `${s}.facts` };
    this.now = options.now ?? Date.now;
    this.secrets = passwordsIn(options.url);
    this.outbox = new PostgresOutbox((what, fn) => this.run(what, fn), this.schema, this.now);
  }

  async enqueue(job: NewJob): Promise<{ job: StoredJob; created: boolean }> {
    const row = newJobRow(randomUUID(), job, this.now());
    const placeholders = row.values.map((_, i) => `$${i + 1}`).join(", ");
    return this.run(`enqueue ${job.key}`, async (db) => {
      const inserted = await db.query(`INSERT INTO ${this.t.jobs} (${row.columns}) VALUES (${placeholders}) ON CONFLICT (key) DO NOTHING RETURNING *`, row.values);
      if (inserted.rows[0]) return { job: this.toJob(inserted.rows[0]), created: true };
      const existing = await db.query(`SELECT * FROM ${this.t.jobs} WHERE key = $1`, [job.key]);
      if (!existing.rows[0]) throw new Error(`job ${job.key} exists and does not`);
      return { job: this.toJob(existing.rows[0]), created: false };
    });
  }

  async get(id: string): Promise<StoredJob | undefined> {
    return this.one(`read job ${id}`, `SELECT * FROM ${this.t.jobs} WHERE id = $1`, [id]);
  }

  async list(filter: JobFilter): Promise<StoredJob[]> {
    const { where, params } = filterToSql(filter);
    return this.run("list jobs", async (db) => (await db.query(`SELECT * FROM ${this.t.jobs} ${where} ORDER BY seq`, params)).rows.map((r) => this.toJob(r)));
  }

  async claimNext(params: { worker: string; kinds: readonly JobKind[]; leaseMs?: number }): Promise<StoredJob | undefined> {
    if (params.kinds.length === 0) return undefined;
    const now = this.now();
    return this.one(
      "claim a job",
      `UPDATE ${this.t.jobs} SET state = 'running', worker = $1, started_at = $2, lease_expires_at = $3, claim = $5
       WHERE id = (SELECT id FROM ${this.t.jobs} WHERE state = 'queued' AND kind = ANY($4::text[]) ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
         AND state = 'queued'
       RETURNING *`,
      [params.worker, now, params.leaseMs === undefined ? null : now + params.leaseMs, [...params.kinds], randomUUID()],
    );
  }

  async transition(id: string, from: JobState, to: JobState, patch: TransitionPatch = {}): Promise<StoredJob | undefined> {
    if (!canTransition(from, to)) throw new StorageError(`job ${id}: a job cannot go from ${from} to ${to}`);
    const params: unknown[] = [id, from, to, this.now()];
    const set = (column: string, value: unknown) => {
      params.push(value);
      return `${column} = $${params.length}`;
    };
    const sets = ["state = $3", to === "running" ? "started_at = $4" : "finished_at = $4, lease_expires_at = NULL"];
    if (patch.reason !== undefined) sets.push(set("reason", patch.reason));
    if (patch.result !== undefined) sets.push(`${set("result", jsonParam(patch.result))}::jsonb`);
    return this.one(`move job ${id} from ${from} to ${to}`, `UPDATE ${this.t.jobs} SET ${sets.join(", ")} WHERE id = $1 AND state = $2 RETURNING *`, params);
  }

  async finish(params: { id: string; claim: string; to: TerminalJobState; reason?: string | null; result?: JobResult | undefined }): Promise<FinishResult> {
    if (!canTransition("running", params.to)) throw new StorageError(`job ${params.id}: a job cannot go from running to ${params.to}`);
    const values: unknown[] = [params.id, params.claim, params.to, this.now()];
    const set = (column: string, value: unknown) => {
      values.push(value);
      return `${column} = $${values.length}`;
    };
    const sets = ["state = $3", "finished_at = $4", "lease_expires_at = NULL"];
    if (params.reason !== undefined) sets.push(set("reason", params.reason));
    if (params.result !== undefined) sets.push(`${set("result", jsonParam(params.result))}::jsonb`);
    const sql = `UPDATE ${this.t.jobs} SET ${sets.join(", ")} WHERE id = $1 AND state = 'running' AND claim = $2 RETURNING *`;
    const job = await this.one(`end job ${params.id} (${params.to})`, sql, values);
    return job ? { status: "written", job } : { status: "lost-claim" };
  }

  async update(id: string, patch: { checkRunId?: number; cancelRequested?: boolean; reported?: boolean; reason?: string }): Promise<StoredJob> {
    const updated = await this.one(
      `update job ${id}`,
      `UPDATE ${this.t.jobs} SET check_run_id = COALESCE($2, check_run_id), cancel_requested = COALESCE($3, cancel_requested),
         reported = COALESCE($4, reported), reason = COALESCE($5, reason)
       WHERE id = $1 RETURNING *`,
      [id, patch.checkRunId ?? null, patch.cancelRequested ?? null, patch.reported ?? null, patch.reason ?? null],
    );
    if (!updated) throw new StorageError(`job ${id} does not exist`);
    return updated;
  }

  async renewLease(params: { id: string; claim: string; leaseMs: number }): Promise<boolean> {
    const sql = `UPDATE ${this.t.jobs} SET lease_expires_at = $3 WHERE id = $1 AND state = 'running' AND claim = $2`;
    return this.run(`renew the lease of job ${params.id}`, async (db) => (await db.query(sql, [params.id, params.claim, this.now() + params.leaseMs])).rowCount === 1);
  }

  async markReported(params: { id: string; worker: string }): Promise<FencedWrite> {
    const sql = `UPDATE ${this.t.jobs} SET reported = true WHERE id = $1 AND ${ENDED} AND reporter = $2`;
    return this.run(`mark job ${params.id} reported`, async (db) => ((await db.query(sql, [params.id, params.worker])).rowCount === 1 ? "written" : "lost-claim"));
  }

  async claimExpired(params: { worker: string; leaseMs: number }): Promise<StoredJob[]> {
    const now = this.now();
    const expired = `state = 'running' AND lease_expires_at IS NOT NULL AND lease_expires_at < $3`;
    return this.run("take over expired leases", async (db) => {
      const { rows } = await db.query(
        `UPDATE ${this.t.jobs} SET worker = $1, lease_expires_at = $2, claim = CASE WHEN worker = $1 AND claim IS NOT NULL THEN claim ELSE $4 END
         WHERE id IN (SELECT id FROM ${this.t.jobs} WHERE ${expired} FOR UPDATE SKIP LOCKED) AND ${expired}
         RETURNING *`,
        [params.worker, now + params.leaseMs, now, randomUUID()],
      );
      return rows.map((r) => this.toJob(r)).sort((a, b) => a.createdAt - b.createdAt);
    });
  }

  async claimReport(params: { id: string; worker: string; leaseMs: number }): Promise<boolean> {
    const now = this.now();
    const sql = `UPDATE ${this.t.jobs} SET reporter = $2, report_lease_until = $3
      WHERE id = $1 AND ${ENDED} AND NOT reported AND (reporter IS NULL OR reporter = $2 OR report_lease_until < $4)`;
    return this.run(`claim the report of job ${params.id}`, async (db) => (await db.query(sql, [params.id, params.worker, now + params.leaseMs, now])).rowCount === 1);
  }

  async markCommandSeen(key: string): Promise<boolean> {
    const sql = `INSERT INTO ${this.t.commands} (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`;
    return this.run(`mark command ${key}`, async (db) => (await db.query(sql, [key, this.now()])).rowCount === 1);
  }

  async forgetCommand(key: string): Promise<void> {
    await this.run(`forget command ${key}`, (db) => db.query(`DELETE FROM ${this.t.commands} WHERE key = $1`, [key]));
  }

  async getFact(key: string): Promise<string | undefined> {
    return this.run(`read fact ${key}`, async (db) => {
      const row: unknown = (await db.query(`SELECT value FROM ${this.t.facts} WHERE key = $1`, [key])).rows[0];
      const fact = factRow.safeParse(row);
      return fact.success ? fact.data.value : undefined;
    });
  }

  async setFact(key: string, value: string): Promise<void> {
    const sql = `INSERT INTO ${this.t.facts} (key, value, at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, at = excluded.at`;
    await this.run(`write fact ${key}`, (db) => db.query(sql, [key, value, this.now()]));
  }

  /**
   * Calls `listener` whenever a job is enqueued or a cancel is requested, by any process on this
   * database (`LISTEN "<schema>.jobs"`, on a connection of its own that reconnects when lost).
   * Returns the function that stops it.
   */
  watch(listener: () => void): () => void {
    this.listener ??= new PostgresListener(async () => (await this.open()).connection.config, `${this.schema}.jobs`);
    return this.listener.subscribe(listener);
  }

  /** Resolves once `watch` listens (tests). */
  async watching(): Promise<void> {
    await this.listener?.listening();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.close();
    const opened = await this.pool?.catch(() => undefined);
    this.pool = undefined;
    if (opened) {
      await opened.pool.end();
      opened.connection.close();
    }
  }

  /** The pool, opened and migrated on first use; a failed opening is tried again by the next call. */
  private open(): Promise<{ pool: pg.Pool; connection: PostgresConnection }> {
    if (this.closed) return Promise.reject(new StorageError(`the job store at ${this.location} is closed`));
    if (this.pool) return this.pool;
    const opening = (async () => {
      const connection = await connectPostgres(this.options);
      const pool = new pg.Pool({ ...connection.config, max: this.options.poolSize ?? 4, idleTimeoutMillis: 30_000 });
      // An idle connection that drops is replaced on the next query, which reports its own failure.
      pool.on("error", () => {});
      try {
        const client = await pool.connect();
        try {
          await migrate(client, this.schema);
        } finally {
          client.release();
        }
      } catch (e) {
        await pool.end().catch(() => {});
        connection.close();
        throw e;
      }
      return { pool, connection };
    })();
    this.pool = opening;
    opening.catch(() => {
      if (this.pool === opening) this.pool = undefined;
    });
    return opening;
  }

  private async one(what: string, sql: string, params: unknown[]): Promise<StoredJob | undefined> {
    return this.run(what, async (db) => {
      const row: unknown = (await db.query(sql, params)).rows[0];
      return row === undefined ? undefined : this.toJob(row);
    });
  }

  /** Runs one store operation; a database failure becomes a `StorageError` naming what and where, never a password. */
  private async run<T>(what: string, fn: (db: Queryable) => Promise<T>): Promise<T> {
    try {
      const { pool } = await this.open();
      return await fn({ query: (sql, params) => pool.query({ name: statementName(sql), text: sql, values: params.map(textParam) }) });
    } catch (e) {
      if (e instanceof StorageError) throw e;
      throw new StorageError(`cannot ${what} in the job store at ${this.location}: ${redact((e as Error).message, this.secrets)}`, { cause: e });
    }
  }

  private toJob(row: unknown): StoredJob {
    return rowToJob(row, this.location);
  }
}

/**
 * A name for a statement, so each connection parses and plans it once and then only binds and
 * executes it: the same text always gets the same name.
 */
function statementName(sql: string): string {
  return `mlops_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;
}

/** The password of a URL, decoded and as written, so messages can be scrubbed of both. */
function passwordsIn(url: string): string[] {
  try {
    const parsed = new URL(url.trim());
    const raw = [parsed.password, parsed.searchParams.get("password") ?? ""].filter((p) => p.length > 0);
    return [...raw, ...raw.map((p) => decodeURIComponent(p))];
  } catch {
    return [];
  }
}
