import path from "node:path";
import type { ServerConfig } from "../../config/server-config.js";
import type { JobStore } from "../../ports/job-store.js";
import { GcsJobStore } from "./gcs-job-store.js";
import { PostgresJobStore } from "./postgres-job-store.js";
import { SqliteJobStore } from "./sqlite-job-store.js";

/**
 * The job store the server config names: the SQLite file in the data folder (one machine), a
 * PostgreSQL database (several instances; Cloud SQL through the connector), or a Cloud Storage
 * prefix (several instances, no database).
 */
export function createJobStore(server: Pick<ServerConfig, "jobStore" | "dataDir" | "gcsEndpoint">): JobStore {
  const store = server.jobStore;
  switch (store.kind) {
    case "sqlite":
      return new SqliteJobStore(path.join(server.dataDir, "jobs.sqlite"));
    case "postgres":
      return new PostgresJobStore({ url: store.url, ...(store.cloudSql ? { cloudSql: store.cloudSql } : {}) });
    case "gcs":
      return GcsJobStore.fromUrl(store.url, { apiEndpoint: server.gcsEndpoint });
  }
}
