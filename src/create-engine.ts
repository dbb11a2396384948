import path from "node:path";
import { FsArtifactStore } from "./adapters/stores/fs-artifact-store.js";
import { SqliteJobStore } from "./adapters/stores/sqlite-job-store.js";
import type { AppDeps } from "./app-deps.js";
import { createCommandRegistry } from "./commands/command-registry.js";
import { helpCommand } from "./commands/help-command.js";
import type { ServerConfig } from "./config/server-config.js";

/** The embedded defaults: SQLite job store and artifact folder under the data folder. */
export function createEngine(server: ServerConfig): AppDeps {
  return {
    server,
    store: new SqliteJobStore(path.join(server.dataDir, "jobs.sqlite")),
    artifacts: new FsArtifactStore(path.join(server.dataDir, "artifacts")),
    registry: createCommandRegistry([helpCommand]),
  };
}
