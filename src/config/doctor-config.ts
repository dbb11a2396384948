import { z } from "zod";
import { readEnvSection } from "./read-env-section.js";

/** What `mlops-bot doctor` and `/doctor` need beyond the bot's own settings. */
export interface DoctorConfig {
  /** The bot's service account, checked for user-managed keys; unset, the one of Application Default Credentials (on Google Cloud). */
  readonly botServiceAccount: string | undefined;
  /** The Secret Manager secret holding the GitHub App's private key (`projects/<p>/secrets/<name>`), whose age is checked. */
  readonly appKeySecret: string | undefined;
  /** Older than this, the App's private key gets a warning: rotate it (docs/operations.md). */
  readonly appKeyMaxAgeDays: number;
  /** The bot may only read DVC remotes (as infra/ grants it): the doctor reads, never writes there. */
  readonly dvcRemoteReadOnly: boolean;
}

const schema = z.object({
  MLOPS_BOT_SERVICE_ACCOUNT: z.email({ message: "must be a service account email, like mlops-bot-bot@my-project.iam.gserviceaccount.com" }).optional(),
  MLOPS_APP_KEY_SECRET: z
    .string()
    .regex(/^projects\/[^/]+\/secrets\/[^/]+$/, "must be a Secret Manager secret name, like projects/my-project/secrets/mlops-bot-private-key")
    .optional(),
  MLOPS_APP_KEY_MAX_AGE_DAYS: z.coerce.number({ message: "must be a number of days, like 90" }).int("must be a whole number of days").min(1, "must be at least 1").default(90),
  MLOPS_DVC_REMOTE_READ_ONLY: z
    .enum(["true", "false", "1", "0"], { message: 'must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true" || v === "1"),
});

/** Reads the doctor's variables; a bad value is a `ConfigError` naming it. */
export function loadDoctorConfig(env: NodeJS.ProcessEnv): DoctorConfig {
  const c = readEnvSection(schema, env);
  return {
    botServiceAccount: c.MLOPS_BOT_SERVICE_ACCOUNT,
    appKeySecret: c.MLOPS_APP_KEY_SECRET,
    appKeyMaxAgeDays: c.MLOPS_APP_KEY_MAX_AGE_DAYS,
    dvcRemoteReadOnly: c.MLOPS_DVC_REMOTE_READ_ONLY,
  };
}
