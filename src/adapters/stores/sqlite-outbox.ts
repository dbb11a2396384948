import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { readOutboxAction, type CommandClaim, type Completed, type FencedWrite, type LeasedMessage, type Outbox, type OutboxMessage, type PendingMessage } from "../../ports/outbox.js";

/** The outbox's table, and the provisional-claim column of `commands_seen` (NULL: handled for good). */
export function addOutboxTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL UNIQUE,
      owner TEXT NOT NULL,
      repo TEXT NOT NULL,
      installation_id INTEGER NOT NULL,
      action TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0,
      due_at INTEGER NOT NULL,
      holder TEXT,
      last_error TEXT,
      created_at INTEGER NOT NULL,
      ended_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS outbox_due ON outbox(due_at) WHERE state = 'pending';
  `);
  addColumn(db, "commands_seen", "pending_until INTEGER");
  addColumn(db, "commands_seen", "claim TEXT"); // a provisional claim's fencing token
  addColumn(db, "outbox", "claim TEXT"); // the lease's fencing token (databases made before it get the column)
}

/** Adds a column unless the table has it; two processes racing to add it both succeed. */
export function addColumn(db: Database.Database, table: string, column: string): void {
  const columns = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  if (columns.has(column.split(" ")[0]!)) return;
  try {
    db.exec(`ALTER TABLE ${table} ADD COLUMN ${column}`);
  } catch (e) {
    if (!/duplicate column/i.test((e as Error).message)) throw e;
  }
}

interface OutboxRow {
  id: number;
  key: string;
  owner: string;
  repo: string;
  installation_id: number;
  action: string;
  attempts: number;
  created_at: number;
  claim: string | null;
}

/** The SQLite store's outbox (see `Outbox`): each operation one statement or one transaction. */
export class SqliteOutbox implements Outbox {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  claimCommand(key: string, leaseMs: number): Promise<CommandClaim | undefined> {
    const now = this.now();
    const claim = randomUUID();
    const info = this.db
      .prepare(
        `INSERT INTO commands_seen (key, at, pending_until, claim) VALUES (@key, @now, @until, @claim)
         ON CONFLICT(key) DO UPDATE SET at = excluded.at, pending_until = excluded.pending_until, claim = excluded.claim
         WHERE commands_seen.pending_until IS NOT NULL AND commands_seen.pending_until < @now`,
      )
      .run({ key, now, until: now + leaseMs, claim });
    return Promise.resolve(info.changes === 1 ? { key, claim } : undefined);
  }

  complete(params: { commands: readonly CommandClaim[]; messages: readonly OutboxMessage[]; worker: string; leaseMs: number }): Promise<Completed> {
    const now = this.now();
    const claim = randomUUID();
    const finalize = this.db.prepare("UPDATE commands_seen SET pending_until = NULL WHERE key = @key AND claim = @claim");
    const insert = this.db.prepare(
      `INSERT INTO outbox (key, owner, repo, installation_id, action, due_at, holder, claim, created_at)
       VALUES (@key, @owner, @repo, @installation_id, @action, @due_at, @holder, @claim, @now)
       ON CONFLICT(key) DO NOTHING RETURNING *`,
    );
    const lost = new Error("lost-claim");
    try {
      const added = this.db.transaction(() => {
        for (const command of params.commands) {
          if (finalize.run(command).changes !== 1) {
            throw lost; // rolls back the claims made final so far: nothing of this answer is stored
          }
        }
        const rows: OutboxRow[] = [];
        for (const m of params.messages) {
          const row = insert.get({
            key: m.key,
            owner: m.repo.owner,
            repo: m.repo.name,
            installation_id: m.repo.installationId,
            action: JSON.stringify(m.action),
            due_at: now + params.leaseMs,
            holder: params.worker,
            claim,
            now,
          }) as OutboxRow | undefined;
          if (row) rows.push(row);
        }
        return rows;
      })();
      return Promise.resolve({ status: "written", messages: this.leased(added) });
    } catch (e) {
      if (e === lost) return Promise.resolve({ status: "lost-claim" });
      throw e;
    }
  }

  releaseCommand(claim: CommandClaim): Promise<FencedWrite> {
    const info = this.db.prepare("DELETE FROM commands_seen WHERE key = @key AND claim = @claim AND pending_until IS NOT NULL").run(claim);
    return Promise.resolve(info.changes === 1 ? "written" : "lost-claim");
  }

  claimDue(params: { worker: string; leaseMs: number; limit: number }): Promise<LeasedMessage[]> {
    const now = this.now();
    const rows = this.db
      .prepare(
        `UPDATE outbox SET holder = @worker, claim = @claim, due_at = @until
         WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND due_at <= @now ORDER BY due_at, id LIMIT @limit)
           AND state = 'pending' AND due_at <= @now
         RETURNING *`,
      )
      .all({ worker: params.worker, claim: randomUUID(), until: now + params.leaseMs, now, limit: params.limit }) as OutboxRow[];
    return Promise.resolve(this.leased(rows.sort((a, b) => a.id - b.id)));
  }

  renew(id: string, claim: string, leaseMs: number): Promise<FencedWrite> {
    return this.fenced("due_at = @until", { id, claim, until: this.now() + leaseMs });
  }

  delivered(id: string, claim: string): Promise<FencedWrite> {
    return this.fenced("state = 'delivered', ended_at = @now, holder = NULL, claim = NULL", { id, claim, now: this.now() });
  }

  retryAt(id: string, claim: string, params: { error: string; at: number }): Promise<FencedWrite> {
    return this.fenced("attempts = attempts + 1, last_error = @error, due_at = @at, holder = NULL, claim = NULL", { id, claim, error: params.error, at: params.at });
  }

  giveUp(id: string, claim: string, error: string): Promise<FencedWrite> {
    return this.fenced("state = 'given_up', attempts = attempts + 1, last_error = @error, ended_at = @now, holder = NULL, claim = NULL", { id, claim, error, now: this.now() });
  }

  /** One holder's write: only while `claim` is the pending message's current lease. */
  private fenced(sets: string, args: { id: string; claim: string } & Record<string, unknown>): Promise<FencedWrite> {
    const info = this.db.prepare(`UPDATE outbox SET ${sets} WHERE id = @id AND state = 'pending' AND claim = @claim`).run({ ...args, id: Number(args.id) });
    return Promise.resolve(info.changes === 1 ? "written" : "lost-claim");
  }

  pending(): Promise<PendingMessage[]> {
    const rows = this.db.prepare("SELECT * FROM outbox WHERE state = 'pending' ORDER BY id").all() as OutboxRow[];
    return Promise.resolve(this.readable(rows));
  }

  /** Rows whose action reads back; a damaged one is given up here, never performed. */
  private readable(rows: readonly OutboxRow[]): PendingMessage[] {
    return this.leased(rows).map(({ claim: _claim, ...message }) => message);
  }

  /** The same, with each row's lease (`claim`: set by the statement that leased the rows). */
  private leased(rows: readonly OutboxRow[]): LeasedMessage[] {
    const out: LeasedMessage[] = [];
    for (const row of rows) {
      const message = toMessage(row);
      if (message) out.push({ ...message, claim: row.claim ?? "" });
      else this.giveUpDamaged(row.id);
    }
    return out;
  }

  private giveUpDamaged(id: number): void {
    this.db
      .prepare("UPDATE outbox SET state = 'given_up', attempts = attempts + 1, last_error = @error, ended_at = @now, holder = NULL, claim = NULL WHERE id = @id")
      .run({ id, error: "the stored action is damaged", now: this.now() });
  }
}

function toMessage(row: OutboxRow): PendingMessage | undefined {
  let action;
  try {
    action = readOutboxAction(JSON.parse(row.action));
  } catch {
    return undefined;
  }
  if (!action) return undefined;
  return {
    id: String(row.id),
    key: row.key,
    repo: { owner: row.owner, name: row.repo, installationId: row.installation_id },
    action,
    attempts: row.attempts,
    createdAt: row.created_at,
  };
}
