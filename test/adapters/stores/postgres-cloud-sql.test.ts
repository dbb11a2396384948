import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PostgresJobStore } from "../../../src/adapters/stores/postgres-job-store.js";
import { StorageError } from "../../../src/core/errors.js";
import { startFakeCloudSql, type FakeCloudSql } from "../../helpers/fake-cloud-sql.js";
import { newJob } from "../../helpers/new-job.js";
import { postgresServer } from "../../helpers/postgres-server.js";
import { jobStoreContract } from "./job-store-contract.js";

const server = postgresServer();
const iamUser = server?.iamUser;
let cloudSql: FakeCloudSql | undefined;

beforeAll(async () => {
  if (server) cloudSql = await startFakeCloudSql({ postgresPort: Number(new URL(server.url).port) });
});
afterAll(async () => {
  await cloudSql?.close();
});

/**
 * The store as the bot runs it on Cloud Run: MLOPS_JOB_STORE names only the database and the IAM
 * user, MLOPS_CLOUD_SQL_INSTANCE the instance, and the real Cloud SQL connector opens every
 * connection (mTLS with an ephemeral certificate requested with the IAM access token). Only the
 * SQL Admin API (nock) and the instance's TLS front (a local TLS server) are stand-ins.
 */
describe.runIf(server)("PostgresJobStore through the Cloud SQL connector (IAM authentication, no password)", () => {
  const url = `postgres:///mlops_test?user=${encodeURIComponent(iamUser ?? "")}`;
  const open = (schema: string, now?: () => number) =>
    new PostgresJobStore({ url, cloudSql: { instance: cloudSql!.instance, connector: cloudSql!.connector }, schema, ...(now ? { now } : {}) });
  beforeEach(() => cloudSql!.nockAdminApi());

  jobStoreContract(() => {
    const schema = server!.schema("cloudsql");
    return { open: (options) => open(schema, options?.now) };
  });

  it("signs in as the service account's IAM user over the connector's TLS, with an access token and no password", async () => {
    const schema = server!.schema("iam");
    const store = open(schema);
    const before = cloudSql!.connections();
    const { job } = await store.enqueue(newJob());
    expect(cloudSql!.connections()).toBeGreaterThan(before);
    expect(cloudSql!.certRequests.at(-1)).toBe("ya29.test-iam-token");
    // The schema and its tables belong to the IAM user: it made them, through the connector.
    const owner = await server!.query("SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1", [schema]);
    expect(owner.rows).toEqual([{ owner: `"${iamUser}"` }]);
    expect((await server!.query(`SELECT key FROM "${schema}".jobs WHERE id = $1`, [job.id])).rows).toEqual([{ key: "comment:1:0" }]);
    await store.close();
  });
});

describe.runIf(server)("PostgresJobStore when the SQL Admin API refuses the connector", () => {
  it("says it cannot reach the instance, naming it, and tries again on the next call", async () => {
    cloudSql!.nockAdminApi({ status: 403 });
    const store = new PostgresJobStore({ url: "postgres:///mlops_test?user=x%40p.iam", cloudSql: { instance: cloudSql!.instance, connector: cloudSql!.connector }, schema: "refused" });
    const error = await store.get("x").then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error?.message).toMatch(/^cannot reach the Cloud SQL instance test-project:europe-west1:jobs through the connector: .*not authorized/);
    cloudSql!.nockAdminApi({ status: 403 });
    await expect(store.get("x")).rejects.toThrow("cannot reach the Cloud SQL instance");
    await store.close();
  });
});
