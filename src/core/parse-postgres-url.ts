import { err, ok, type Result } from "./result.js";

/** A PostgreSQL connection URL, read: what the bot needs to say where it connects, never the password. */
export interface PostgresUrl {
  /** The host, or `""` when the URL names none (`postgres:///db`: the Cloud SQL connector's form). */
  readonly host: string;
  readonly database: string;
  readonly user: string | undefined;
  readonly hasPassword: boolean;
  /** The URL with its password (in the user part or the query) replaced by `***`: safe for messages and logs. */
  readonly redacted: string;
}

const EXAMPLE = "postgres://user:password@host:5432/database";

/**
 * `postgres://user:password@host:port/database?sslmode=...` (or `postgresql://`) -> its parts, or
 * what is wrong with it. No message ever repeats the password: a URL that cannot be read is not
 * quoted at all.
 */
export function parsePostgresUrl(url: string): Result<PostgresUrl, string> {
  if (!/^postgres(ql)?:\/\//i.test(url.trim())) return err(`is not a PostgreSQL URL; write it as ${EXAMPLE}`);
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return err(`cannot be read as a URL (it is not repeated here: it may hold a password); write it as ${EXAMPLE}, with special characters percent-encoded`);
  }
  const redacted = redactPostgresUrl(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!database || database.includes("/")) return err(`\`${redacted}\` names no database; write it as ${EXAMPLE}`);
  const queryUser = parsed.searchParams.get("user") ?? undefined;
  return ok({
    host: parsed.hostname,
    database,
    user: parsed.username ? decodeURIComponent(parsed.username) : queryUser,
    hasPassword: parsed.password !== "" || parsed.searchParams.has("password"),
    redacted,
  });
}

/** The URL with any password replaced by `***`; a URL that cannot be read becomes a placeholder. */
export function redactPostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return "postgres://(an unreadable URL)";
  }
  if (parsed.password) parsed.password = "***";
  if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
  return parsed.toString().replace("password=%2A%2A%2A", "password=***");
}
