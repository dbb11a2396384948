import { AuthTypes, Connector, IpAddressTypes, type ConnectorOptions } from "@google-cloud/cloud-sql-connector";
import pg from "pg";
import { StorageError } from "../../core/errors.js";
import { parsePostgresUrl } from "../../core/parse-postgres-url.js";

/** Where a PostgreSQL job store lives: a URL, or a Cloud SQL instance reached through the connector. */
export interface PostgresTarget {
  /** `postgres://user:password@host:5432/database`; with `cloudSql`, `postgres:///database?user=<IAM user>` (no host, no password). */
  readonly url: string;
  /**
   * A Cloud SQL instance (`project:region:instance`) reached through the Cloud SQL Node.js
   * connector, with IAM database authentication: the connector gets an ephemeral certificate for
   * the process's service account (Application Default Credentials), so no password exists.
   */
  readonly cloudSql?: {
    readonly instance: string;
    readonly ipType?: "PUBLIC" | "PRIVATE" | "PSC";
    /** Connector options (tests: an auth client and the SQL Admin API endpoint of a fake). */
    readonly connector?: ConnectorOptions;
  };
}

/** How to open connections to a target, and how to let go of what that took (the connector's refresh timers). */
export interface PostgresConnection {
  readonly config: pg.ClientConfig;
  close(): void;
}

/** BIGINT columns (times in ms, GitHub ids) come back as numbers: all of them stay below 2^53. */
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8_OID) return (value: string): number => Number(value);
    return pg.types.getTypeParser(oid, format ?? "text") as unknown;
  }) as pg.CustomTypesConfig["getTypeParser"],
};

const common: pg.ClientConfig = { types, application_name: "mlops-bot", connectionTimeoutMillis: 30_000, keepAlive: true };

/** The client configuration for a target; throws a `StorageError` (never quoting a password) when the URL is unusable. */
export async function connectPostgres(target: PostgresTarget): Promise<PostgresConnection> {
  const url = parsePostgresUrl(target.url);
  if (!url.ok) throw new StorageError(`the job store URL ${url.error}`);
  if (!target.cloudSql) return { config: { ...common, connectionString: target.url.trim() }, close: () => {} };
  if (!url.value.user) throw new StorageError(`the job store URL ${url.value.redacted} names no user: with Cloud SQL, add ?user=<the service account's IAM user>`);
  const connector = new Connector(target.cloudSql.connector);
  try {
    const { stream } = await connector.getOptions({
      instanceConnectionName: target.cloudSql.instance,
      ipType: IpAddressTypes[target.cloudSql.ipType ?? "PUBLIC"],
      authType: AuthTypes.IAM,
    });
    return { config: { ...common, stream, user: url.value.user, database: url.value.database }, close: () => connector.close() };
  } catch (e) {
    // Nothing to let go of: a connector whose first refresh failed holds no timer or socket, and its
    // close() would leave a rejected promise unhandled (it chains .then on the failed refresh).
    throw new StorageError(`cannot reach the Cloud SQL instance ${target.cloudSql.instance} through the connector: ${(e as Error).message}`, { cause: e });
  }
}
