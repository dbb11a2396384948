import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import type { GcsLocation } from "../core/parse-gcs-url.js";
import { parseStorageUrl } from "../core/storage/parse-storage-url.js";
import { readEnvSection } from "./read-env-section.js";

/** Promotions (`/deploy`, `deploy.on_merge`): the inference service to roll and the bucket models go to. */
export interface DeployConfig {
  /** `projects/<p>/locations/<region>/services/<name>`. */
  readonly service: string;
  readonly models: GcsLocation;
}

/** What the operator sets, and where to find it; the fix of every deploy settings error. */
export const DEPLOY_SETTINGS_FIX =
  "Set MLOPS_DEPLOY_SERVICE to the inference Cloud Run service (projects/<project>/locations/<region>/services/<name>) and MLOPS_DEPLOY_MODELS to its models bucket (gs://<bucket>), both from `terraform output inference_service`, or unset both to turn promotions off; then restart the bot.";

const schema = z.object({
  MLOPS_DEPLOY_SERVICE: z
    .string()
    .regex(/^projects\/[^/]+\/locations\/[^/]+\/services\/[a-z][a-z0-9-]{0,48}$/, "must be a Cloud Run service name, like projects/my-project/locations/europe-west1/services/mlops-bot-inference")
    .optional(),
  MLOPS_DEPLOY_MODELS: z
    .string()
    .transform((value, ctx) => {
      const parsed = parseStorageUrl(value, ["gs"]);
      if (parsed.ok) return parsed.value.location;
      ctx.addIssue({ code: "custom", message: `${parsed.error} (it is the models bucket (and prefix) promotions upload to, like gs://my-project-mlops-bot-models)` });
      return z.NEVER;
    })
    .optional(),
});

/**
 * The deploy settings from the environment: undefined when both are unset (promotions are off); a
 * malformed one, or one without the other, is a `ConfigError` naming the variable.
 */
export function loadDeployConfig(env: NodeJS.ProcessEnv): DeployConfig | undefined {
  const c = readEnvSection(schema, env);
  if (Boolean(c.MLOPS_DEPLOY_SERVICE) !== Boolean(c.MLOPS_DEPLOY_MODELS)) {
    throw new ConfigError([
      {
        file: `environment variable ${c.MLOPS_DEPLOY_SERVICE ? "MLOPS_DEPLOY_MODELS" : "MLOPS_DEPLOY_SERVICE"}`,
        message: "promotions need both MLOPS_DEPLOY_SERVICE (the inference service) and MLOPS_DEPLOY_MODELS (its models bucket): set the missing one (terraform output inference_service), or neither",
      },
    ]);
  }
  return c.MLOPS_DEPLOY_SERVICE && c.MLOPS_DEPLOY_MODELS ? { service: c.MLOPS_DEPLOY_SERVICE, models: c.MLOPS_DEPLOY_MODELS } : undefined;
}
