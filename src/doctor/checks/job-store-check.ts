import { randomUUID } from "node:crypto";
import type { ServerConfig } from "../../config/server-config.js";
import { redactPostgresUrl } from "../../core/parse-postgres-url.js";
import { failed, passed, skipped } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";

/**
 * The job store takes a write, reads it back, and deletes it: a canary command mark written
 * once (a second write of the same mark must be refused: on Cloud Storage that is the generation
 * precondition several instances rely on), forgotten, and written again.
 */
export const jobStoreCheck: DoctorCheck = {
  id: "job-store",
  title: "Job store",
  async run(ctx) {
    const tried = "Wrote a canary command mark to the job store, wrote it again (which must be refused), deleted it, and wrote and deleted it once more.";
    if (!ctx.server || !ctx.jobStore) return skipped(tried, "Needs valid server settings.");
    const where = describe(ctx.server.jobStore, ctx.server.dataDir);
    const key = `doctor:canary:${randomUUID()}`;
    try {
      const store = ctx.jobStore();
      const first = await store.markCommandSeen(key);
      const second = await store.markCommandSeen(key);
      await store.forgetCommand(key);
      const third = await store.markCommandSeen(key);
      await store.forgetCommand(key);
      if (!first || !third) return failed(tried, `${where} said the canary mark already existed right after it was deleted.`, "The store loses deletes: check that nothing else writes under its location.");
      if (second) {
        return failed(
          tried,
          `${where} accepted the same canary mark twice: its conditional writes are not honoured${ctx.server.jobStore.kind === "gcs" ? " (Cloud Storage generation preconditions)" : ""}, so two bot instances could both run one job.`,
          "Use a real Cloud Storage bucket (or PostgreSQL); a store that ignores `ifGenerationMatch` cannot be shared.",
        );
      }
      return passed(tried, `${where} wrote, refused the duplicate, read back and deleted the canary.`);
    } catch (e) {
      return failed(tried, `${where}: ${(e as Error).message}`, fixFor(ctx.server));
    }
  },
};

function describe(store: ServerConfig["jobStore"], dataDir: string): string {
  if (store.kind === "sqlite") return `SQLite (${dataDir}/jobs.sqlite)`;
  if (store.kind === "gcs") return `Cloud Storage (${store.url})`;
  return `PostgreSQL (${store.cloudSql ? `Cloud SQL ${store.cloudSql.instance}` : redactPostgresUrl(store.url)})`;
}

function fixFor(server: ServerConfig): string {
  const store = server.jobStore;
  if (store.kind === "sqlite") return `Make ${server.dataDir} a writable folder of the bot's user (MLOPS_DATA_DIR), with room on its disk.`;
  if (store.kind === "gcs") return `Check that the bucket of ${store.url} exists and that the bot's service account has roles/storage.objectAdmin on it (infra/modules/iam).`;
  return "Check MLOPS_JOB_STORE (host, database, user) and that the user may create and write tables there; with Cloud SQL, that the bot's service account is the database's IAM user (infra/modules/bot_database).";
}
