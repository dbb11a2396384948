import { randomUUID } from "node:crypto";
import pg from "pg";
import { testServicesEnv } from "./test-services-env.js";

export interface PostgresServer {
  /** `postgres://mlops:<password>@127.0.0.1:<port>/mlops_test` (the bot's `MLOPS_JOB_STORE`). */
  readonly url: string;
  /** A fresh schema name (`<name>_<random>`): tests on one database never see each other's tables. */
  schema(name?: string): string;
  /** A new empty database, as a URL: for bot processes, which use the default schema. */
  createDatabase(name?: string): Promise<string>;
  /** A user named like a Cloud SQL IAM user, trusted from 127.0.0.1 (the Cloud SQL connector test). */
  readonly iamUser: string;
  /** Runs SQL as the test user (tests that look behind the store, or break it on purpose). */
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
}

/**
 * The PostgreSQL server started by scripts/start-test-services.sh (scripts/start-test-postgres.sh),
 * read from the environment or the script's env file. Undefined when it is not running; with
 * MLOPS_REQUIRE_POSTGRES=1 or MLOPS_REQUIRE_DOCKER=1 (CI: the test services are required) its
 * absence is an error instead.
 */
export function postgresServer(): PostgresServer | undefined {
  const env = testServicesEnv();
  const url = env.MLOPS_TEST_POSTGRES_URL;
  const iamUser = env.MLOPS_TEST_POSTGRES_IAM_USER;
  if (!url || !iamUser) {
    if (process.env.MLOPS_REQUIRE_POSTGRES === "1" || process.env.MLOPS_REQUIRE_DOCKER === "1") {
      throw new Error("the test services are required here, but no PostgreSQL server runs (MLOPS_TEST_POSTGRES_URL and MLOPS_TEST_POSTGRES_IAM_USER): run scripts/start-test-services.sh");
    }
    return undefined;
  }
  const query = async (sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await client.query(sql, params);
    } finally {
      await client.end();
    }
  };
  const suffix = () => randomUUID().replace(/-/g, "").slice(0, 10);
  return {
    url,
    iamUser,
    query,
    schema: (name = "t") => `${name}_${suffix()}`,
    createDatabase: async (name = "t") => {
      const database = `${name}_${suffix()}`;
      await query(`CREATE DATABASE "${database}"`);
      const out = new URL(url);
      out.pathname = `/${database}`;
      return out.toString();
    },
  };
}
