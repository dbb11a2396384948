import { createHash } from "node:crypto";
import type pg from "pg";
import { StorageError } from "../../core/errors.js";

/** One step of the schema: applied once, in order, recorded in `schema_migrations`. Never edit a landed one: add the next. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The statements, for the schema named `s` (already quoted). */
  readonly sql: (s: string) => string;
}

const JOB_STATES = "'queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'";

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "jobs, handled commands and facts; notify on enqueue and cancel requests",
    sql: (s) => `
      CREATE TABLE ${s}.jobs (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        kind text NOT NULL,
        key text NOT NULL UNIQUE,
        grp text,
        state text NOT NULL CHECK (state IN (${JOB_STATES})),
        owner text NOT NULL,
        repo text NOT NULL,
        installation_id bigint NOT NULL,
        pr integer,
        head_sha text NOT NULL,
        head_ref text,
        base_ref text,
        base_sha text,
        requested_by text NOT NULL,
        comment_id bigint,
        input jsonb NOT NULL,
        check_run_id bigint,
        reason text,
        result jsonb,
        cancel_requested boolean NOT NULL DEFAULT false,
        reported boolean NOT NULL DEFAULT false,
        worker text,
        lease_expires_at bigint,
        reporter text,
        report_lease_until bigint,
        created_at bigint NOT NULL,
        started_at bigint,
        finished_at bigint
      );
      CREATE INDEX jobs_queued ON ${s}.jobs (seq) WHERE state = 'queued';
      CREATE INDEX jobs_leased ON ${s}.jobs (lease_expires_at) WHERE state = 'running';
      CREATE INDEX jobs_unreported ON ${s}.jobs (seq) WHERE NOT reported;
      CREATE INDEX jobs_state ON ${s}.jobs (state, seq);
      CREATE INDEX jobs_group ON ${s}.jobs (grp, state);
      CREATE INDEX jobs_repo ON ${s}.jobs (owner, repo, seq);
      CREATE TABLE ${s}.commands_seen (key text PRIMARY KEY, at bigint NOT NULL);
      CREATE TABLE ${s}.facts (key text PRIMARY KEY, value text NOT NULL, at bigint NOT NULL);
      -- Workers LISTEN on "<schema>.jobs": a job was queued, or a cancel was asked for. Sent at commit.
      CREATE FUNCTION ${s}.notify_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(TG_TABLE_SCHEMA || '.jobs', NEW.kind);
        RETURN NULL;
      END
      $$;
      CREATE TRIGGER jobs_enqueued AFTER INSERT ON ${s}.jobs FOR EACH ROW EXECUTE FUNCTION ${s}.notify_jobs();
      CREATE TRIGGER jobs_cancel_requested AFTER UPDATE OF cancel_requested ON ${s}.jobs
        FOR EACH ROW WHEN (NEW.cancel_requested AND NOT OLD.cancel_requested) EXECUTE FUNCTION ${s}.notify_jobs();
    `,
  },
  {
    version: 2,
    name: "provisional command claims and the outbox of commands' answers",
    sql: (s) => `
      -- NULL: handled for good; else the claim lapses at this time unless an outcome is stored.
      ALTER TABLE ${s}.commands_seen ADD COLUMN pending_until bigint;
      CREATE TABLE ${s}.outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key text NOT NULL UNIQUE,
        owner text NOT NULL,
        repo text NOT NULL,
        installation_id bigint NOT NULL,
        action jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'given_up')),
        attempts integer NOT NULL DEFAULT 0,
        due_at bigint NOT NULL,
        holder text,
        last_error text,
        created_at bigint NOT NULL,
        ended_at bigint
      );
      CREATE INDEX outbox_due ON ${s}.outbox (due_at, id) WHERE state = 'pending';
    `,
  },
  {
    version: 3,
    name: "fencing tokens of job and outbox leases",
    sql: (s) => `
      -- New at every claim; a holder's finishing write is conditional on it (a lapsed holder's is refused).
      ALTER TABLE ${s}.jobs ADD COLUMN claim text;
      ALTER TABLE ${s}.outbox ADD COLUMN claim text;
      ALTER TABLE ${s}.commands_seen ADD COLUMN claim text;
    `,
  },
];

/** Schema names the store accepts: plain lowercase identifiers, so quoting them is enough. */
export function isSchemaName(name: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name);
}

/**
 * Brings the schema up to the newest migration: under a session advisory lock (one key per
 * schema), so bot instances starting together apply each step once; each step in its own
 * transaction with its row in `schema_migrations`. A database whose schema is newer than this
 * code knows (a newer bot migrated it) is refused: this bot could misread its records.
 */
export async function migrate(client: pg.ClientBase, schema: string, steps: readonly Migration[] = migrations): Promise<number> {
  const s = `"${schema}"`;
  const lock = createHash("sha256").update(`mlops-bot migrations:${schema}`).digest().readBigInt64BE(0).toString();
  await client.query("SELECT pg_advisory_lock($1::bigint)", [lock]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${s}.schema_migrations`);
    const current = rows[0]?.version ?? 0;
    const newest = steps.at(-1)?.version ?? 0;
    if (current > newest) {
      throw new StorageError(`the job store's schema "${schema}" is at version ${current}, newer than this bot knows (${newest}): run a bot at least as new as the one that migrated it`);
    }
    for (const step of steps.filter((m) => m.version > current)) {
      await client.query("BEGIN");
      try {
        await client.query(step.sql(s));
        await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [step.version, step.name]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new StorageError(`migration ${step.version} (${step.name}) of the job store's schema "${schema}" failed: ${(e as Error).message}`, { cause: e });
      }
    }
    return newest;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1::bigint)", [lock]);
  }
}
