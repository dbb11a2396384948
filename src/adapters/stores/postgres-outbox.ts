import { randomUUID } from "node:crypto";
import type pg from "pg";
import { readOutboxAction, type CommandClaim, type Completed, type FencedWrite, type LeasedMessage, type Outbox, type OutboxMessage, type PendingMessage } from "../../ports/outbox.js";
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

  async claimCommand(key: string, leaseMs: number): Promise<CommandClaim | undefined> {
    const sql = `INSERT INTO ${this.t.commands} AS c (key, at, pending_until, claim) VALUES ($1, $2, $3, $4)
      ON CONFLICT (key) DO UPDATE SET at = excluded.at, pending_until = excluded.pending_until, claim = excluded.claim
      WHERE c.pending_until IS NOT NULL AND c.pending_until < $2`;
    const now = this.now();
    const claim = randomUUID();
    return this.run(`claim command ${key}`, async (db) => ((await db.query(sql, [key, now, now + leaseMs, claim])).rowCount === 1 ? { key, claim } : undefined));
  }

  /**
   * One statement: the claims are locked and checked first (`held`: every one still carries its
   * token), and only then made final and the messages added, so a lost claim stores nothing.
   */
  async complete(params: { commands: readonly CommandClaim[]; messages: readonly OutboxMessage[]; worker: string; leaseMs: number }): Promise<Completed> {
    const sql = `WITH mine AS (
        SELECT c.key FROM ${this.t.commands} c JOIN unnest($1::text[], $6::text[]) AS w(key, claim) ON c.key = w.key AND c.claim = w.claim
        FOR UPDATE OF c
      ),
      held AS (SELECT count(*) = cardinality($1::text[]) AS ok FROM mine),
      done AS (UPDATE ${this.t.commands} SET pending_until = NULL WHERE key IN (SELECT key FROM mine) AND (SELECT ok FROM held) RETURNING key),
      added AS (
        INSERT INTO ${this.t.outbox} (key, owner, repo, installation_id, action, due_at, holder, created_at, claim)
        SELECT m.key, m.owner, m.repo, m.installation_id, m.action, $3, $4, $5, $7
        FROM jsonb_to_recordset($2::jsonb) AS m(key text, owner text, repo text, installation_id bigint, action jsonb, ord bigint)
        WHERE (SELECT ok FROM held)
        ORDER BY m.ord
        ON CONFLICT (key) DO NOTHING RETURNING *
      )
      SELECT (SELECT ok FROM held) AS held, (SELECT count(*) FROM done) AS done, COALESCE((SELECT jsonb_agg(to_jsonb(added)) FROM added), '[]'::jsonb) AS added`;
    const messages = params.messages.map((m, ord) => ({ ord, key: m.key, owner: m.repo.owner, repo: m.repo.name, installation_id: m.repo.installationId, action: m.action }));
    const now = this.now();
    const keys = params.commands.map((c) => c.key);
    const values = [keys, jsonParam(messages), now + params.leaseMs, params.worker, now, params.commands.map((c) => c.claim), randomUUID()];
    return this.run(`store the answer to ${keys.join(", ") || "a command"}`, async (db): Promise<Completed> => {
      const row = (await db.query(sql, values)).rows[0] as { held: boolean; added: Record<string, unknown>[] };
      if (!row.held) return { status: "lost-claim" };
      return { status: "written", messages: await this.leased(row.added) };
    });
  }

  async releaseCommand(claim: CommandClaim): Promise<FencedWrite> {
    const sql = `DELETE FROM ${this.t.commands} WHERE key = $1 AND claim = $2 AND pending_until IS NOT NULL`;
    return this.run(`release command ${claim.key}`, async (db) => ((await db.query(sql, [claim.key, claim.claim])).rowCount === 1 ? "written" : "lost-claim"));
  }

  async claimDue(params: { worker: string; leaseMs: number; limit: number }): Promise<LeasedMessage[]> {
    const sql = `UPDATE ${this.t.outbox} SET holder = $1, due_at = $2, claim = $5
      WHERE id IN (SELECT id FROM ${this.t.outbox} WHERE state = 'pending' AND due_at <= $3 ORDER BY due_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING *`;
    const now = this.now();
    return this.run("claim due outbox messages", async (db) => {
      const { rows } = await db.query(sql, [params.worker, now + params.leaseMs, now, params.limit, randomUUID()]);
      return this.leased(rows);
    });
  }

  renew(id: string, claim: string, leaseMs: number): Promise<FencedWrite> {
    return this.fenced(`renew the lease of outbox message ${id}`, "due_at = $3", [id, claim, this.now() + leaseMs]);
  }

  delivered(id: string, claim: string): Promise<FencedWrite> {
    return this.fenced(`mark outbox message ${id} delivered`, "state = 'delivered', ended_at = $3, holder = NULL, claim = NULL", [id, claim, this.now()]);
  }

  retryAt(id: string, claim: string, params: { error: string; at: number }): Promise<FencedWrite> {
    return this.fenced(`reschedule outbox message ${id}`, "attempts = attempts + 1, last_error = $3, due_at = $4, holder = NULL, claim = NULL", [id, claim, params.error, params.at]);
  }

  giveUp(id: string, claim: string, error: string): Promise<FencedWrite> {
    const sets = "state = 'given_up', attempts = attempts + 1, last_error = $3, ended_at = $4, holder = NULL, claim = NULL";
    return this.fenced(`give up outbox message ${id}`, sets, [id, claim, error, this.now()]);
  }

  /** One holder's write: only while `claim` ($2) is the pending message's ($1) current lease. */
  private fenced(what: string, sets: string, params: unknown[]): Promise<FencedWrite> {
    const sql = `UPDATE ${this.t.outbox} SET ${sets} WHERE id = $1 AND state = 'pending' AND claim = $2`;
    return this.run(what, async (db) => ((await db.query(sql, params)).rowCount === 1 ? "written" : "lost-claim"));
  }

  async pending(): Promise<PendingMessage[]> {
    return this.run("list the outbox", async (db) => this.readable((await db.query(`SELECT * FROM ${this.t.outbox} WHERE state = 'pending' ORDER BY id`, [])).rows));
  }

  /** Rows whose action reads back, oldest first; a damaged one is given up, never performed. */
  private async readable(rows: readonly Record<string, unknown>[]): Promise<PendingMessage[]> {
    return (await this.leased(rows)).map(({ claim: _claim, ...message }) => message);
  }

  /** The same, with each row's lease (`claim`: set by the statement that leased the rows). */
  private async leased(rows: readonly Record<string, unknown>[]): Promise<LeasedMessage[]> {
    const out: LeasedMessage[] = [];
    for (const row of [...rows].sort((a, b) => Number(a.id) - Number(b.id))) {
      const action = readOutboxAction(row.action);
      if (!action) {
        const sql = `UPDATE ${this.t.outbox} SET state = 'given_up', attempts = attempts + 1, last_error = $2, ended_at = $3, holder = NULL, claim = NULL WHERE id = $1`;
        await this.run(`give up outbox message ${String(row.id)}`, (db) => db.query(sql, [row.id, "the stored action is damaged", this.now()]));
        continue;
      }
      out.push({
        id: String(row.id),
        key: String(row.key),
        repo: { owner: String(row.owner), name: String(row.repo), installationId: Number(row.installation_id) },
        action,
        attempts: Number(row.attempts),
        createdAt: Number(row.created_at),
        claim: typeof row.claim === "string" ? row.claim : "",
      });
    }
    return out;
  }
}
