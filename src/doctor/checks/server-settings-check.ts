import { failed, passed } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";

const TRIED = "Read the bot's settings from its environment: the MLOPS_* variables, and the App's APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET.";

/** The bot's environment: every MLOPS_* variable valid, and the App's three credentials present. */
export const serverSettingsCheck: DoctorCheck = {
  id: "server-config",
  title: "Server settings",
  run(ctx) {
    const problems: string[] = [];
    if (ctx.settingsError) problems.push(ctx.settingsError);
    const missing = ["APP_ID", "WEBHOOK_SECRET"].filter((name) => !ctx.env[name]?.trim());
    if (!ctx.env.PRIVATE_KEY?.trim() && !ctx.env.PRIVATE_KEY_PATH?.trim()) missing.push("PRIVATE_KEY (or PRIVATE_KEY_PATH)");
    if (missing.length) problems.push(`Not set: ${missing.join(", ")}.`);
    if (problems.length) {
      return Promise.resolve(
        failed(TRIED, problems.join("\n"), "Set the variables as the messages say (docs/configuration.md lists every one; on Cloud Run they come from infra/envs/*/main.tf and Secret Manager), then restart the bot."),
      );
    }
    const s = ctx.server!;
    const store = s.jobStore.kind === "sqlite" ? `SQLite in ${s.dataDir}` : s.jobStore.kind === "gcs" ? s.jobStore.url : "PostgreSQL";
    const artifacts = s.artifacts.kind === "folder" ? s.artifacts.dir : s.artifacts.url;
    const runners = ["local", ...(s.docker ? ["docker"] : []), ...(s.cloudRunJob ? ["cloud-run"] : [])].join(", ");
    return Promise.resolve(passed(TRIED, `Valid. Job store: ${store}; artifacts: ${artifacts}; runners: ${runners}; MLflow: ${s.mlflow ? s.mlflow.trackingUri : "off"}.`));
  },
};
