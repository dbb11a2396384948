import type pg from "pg";
import { readOutboxAction, type Outbox, type OutboxMessage, type PendingMessage } from "../../ports/outbox.js";
import { jsonParam } from "./postgres-job-rows.js";

/** Runs one store operation (the store's `run`: a failure becomes a `StorageError` naming it). */
export type RunQuery = <T>(what: string, fn: (db: { query(sql: string, params: unknown[]): Promise<pg.QueryResult> }) => Promise<T>) => Promise<T>;

/**
 * The PostgreSQL store's outbox (see `Outbox`), in the tables of migration 2. Completing a command
 * is one statement (a data-modifying CTE), so its final mark and its messages commit together;
 * due messages are claimed with `FOR UPDATE SKIP LOCKED`, so two instances never take one message.
 */
export class PostgresOutbox implements Outbox {
  private readonly t: { commands: string; outbox: string };

  constructor(
    private readonly run: RunQuery,
    schema: string,
    private readonly now: () => number,
  ) {
    this.t = { commands: `"${schema}".commands_seen`, outbox: `"${schema}".outbox` };
  }

  async claimCommand(key: string, leaseMs: number): Promise<boolean> {
    const sql = `INSERT INTO ${this.t.commands} AS c (key, at, pending_until) VALUES ($1, $2, $3)
      ON CONFLICT (key) DO UPDATE SET at = excluded.at, pending_until = excluded.pending_until
      WHERE c.pending_until IS NOT NULL AND c.pending_until < $2`;
    const now = this.now();
    return this.run(`claim command ${key}`, async (db) => (await db.query(sql, [key, now, now + leaseMs])).rowCount === 1);
  }

  async complete(params: { commands: readonly string[]; messages: readonly OutboxMessage[]; worker: string; leaseMs: number }): Promise<PendingMessage[]> {
    const sql = `WITH done AS (UPDATE ${this.t.commands} SET pending_until = NULL WHERE key = ANY($1::text[]) RETURNING key)
      INSERT INTO ${this.t.outbox} (key, owner, repo, installation_id, action, due_at, holder, created_at)
      SELECT m.key, m.owner, m.repo, m.installation_id, m.action, $3, $4, $5
      FROM jsonb_to_recordset($2::jsonb) AS m(key text, owner text, repo text, installation_id bigint, action jsonb, ord bigint)
      ORDER BY m.ord
      ON CONFLICT (key) DO NOTHING RETURNING *`;
    const messages = params.messages.map((m, ord) => ({ ord, key: m.key, owner: m.repo.owner, repo: m.repo.name, installation_id: m.repo.installationId, action: m.action }));
    const now = this.now();
    return this.run(`store the answer to ${params.commands.join(", ") || "a command"}`, async (db) => {
      const { rows } = await db.query(sql, [params.commands, jsonParam(messages), now + params.leaseMs, params.worker, now]);
      return this.readable(rows);
    });
  }

  async claimDue(params: { worker: string; leaseMs: number; limit: number }): Promise<PendingMessage[]> {
    const sql = `UPDATE ${this.t.outbox} SET holder = $1, due_at = $2
      WHERE id IN (SELECT id FROM ${this.t.outbox} WHERE state = 'pending' AND due_at <= $3 ORDER BY due_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING *`;
    const now = this.now();
    return this.run("claim due outbox messages", async (db) => {
      const { rows } = await db.query(sql, [params.worker, now + params.leaseMs, now, params.limit]);
      return this.readable(rows);
    });
  }

  async delivered(id: string): Promise<void> {
    const sql = `UPDATE ${this.t.outbox} SET state = 'delivered', ended_at = $2, holder = NULL WHERE id = $1`;
    await this.run(`mark outbox message ${id} delivered`, (db) => db.query(sql, [id, this.now()]));
  }

  async retryAt(id: string, params: { error: string; at: number }): Promise<void> {
    const sql = `UPDATE ${this.t.outbox} SET attempts = attempts + 1, last_error = $2, due_at = $3, holder = NULL WHERE id = $1 AND state = 'pending'`;
    await this.run(`reschedule outbox message ${id}`, (db) => db.query(sql, [id, params.error, params.at]));
  }

  async giveUp(id: string, error: string): Promise<void> {
    const sql = `UPDATE ${this.t.outbox} SET state = 'given_up', attempts = attempts + 1, last_error = $2, ended_at = $3, holder = NULL WHERE id = $1`;
    await this.run(`give up outbox message ${id}`, (db) => db.query(sql, [id, error, this.now()]));
  }

  async pending(): Promise<PendingMessage[]> {
    return this.run("list the outbox", async (db) => this.readable((await db.query(`SELECT * FROM ${this.t.outbox} WHERE state = 'pending' ORDER BY id`, [])).rows));
  }

  /** Rows whose action reads back, oldest first; a damaged one is given up, never performed. */
  private async readable(rows: readonly Record<string, unknown>[]): Promise<PendingMessage[]> {
    const out: PendingMessage[] = [];
    for (const row of [...rows].sort((a, b) => Number(a.id) - Number(b.id))) {
      const action = readOutboxAction(row.action);
      if (!action) {
        await this.giveUp(String(row.id), "the stored action is damaged");
        continue;
      }
      out.push({
        id: String(row.id),
        key: String(row.key),
        repo: { owner: String(row.owner), name: String(row.repo), installationId: Number(row.installation_id) },
        action,
        attempts: Number(row.attempts),
        createdAt: Number(row.created_at),
      });
    }
    return out;
  }
}
