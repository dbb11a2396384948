import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { readEnvSection } from "./read-env-section.js";

/** The MLflow tracking server jobs log to, and how the bot reaches it. */
export interface MlflowConfig {
  readonly trackingUri: string;
  /** Where links point (the UI); default the tracking URI. */
  readonly uiUrl: string;
  /** The experiment of a repository's runs; `{owner}` and `{repo}` are filled in. */
  readonly experiment: string;
  readonly auth:
    | { readonly kind: "none" }
    | { readonly kind: "token"; readonly token: string }
    | { readonly kind: "basic"; readonly username: string; readonly password: string }
    | { readonly kind: "google" };
}

const httpUrl = (example: string) => z.url({ protocol: /^https?$/, message: `must be an http(s) URL, like ${example}` });

const schema = z.object({
  MLFLOW_TRACKING_URI: httpUrl("https://mlflow.example.com (the bot creates each job's run through the REST API)").optional(),
  MLOPS_MLFLOW_UI_URL: httpUrl("https://mlflow.example.com").optional(),
  MLOPS_MLFLOW_EXPERIMENT: z.string().min(1).max(500).default("{owner}/{repo}"),
  MLOPS_MLFLOW_AUTH: z.enum(["none", "token", "basic", "google"], { message: 'must be "none", "token", "basic" or "google"' }).optional(),
  MLFLOW_TRACKING_TOKEN: z.string().optional(),
  MLFLOW_TRACKING_USERNAME: z.string().optional(),
  MLFLOW_TRACKING_PASSWORD: z.string().optional(),
});

/**
 * MLflow is on when `MLFLOW_TRACKING_URI` is an http(s) tracking server. Authentication: a bearer
 * token (`MLFLOW_TRACKING_TOKEN`), basic (`MLFLOW_TRACKING_USERNAME`/`PASSWORD`), Google ID tokens
 * for a server on Cloud Run (`MLOPS_MLFLOW_AUTH=google`), or none; by default whichever
 * credentials are set.
 */
export function loadMlflowConfig(env: NodeJS.ProcessEnv): MlflowConfig | undefined {
  const c = readEnvSection(schema, env);
  if (!c.MLFLOW_TRACKING_URI) return undefined;
  const kind = c.MLOPS_MLFLOW_AUTH ?? (c.MLFLOW_TRACKING_TOKEN ? "token" : c.MLFLOW_TRACKING_USERNAME ? "basic" : "none");
  let auth: MlflowConfig["auth"];
  if (kind === "token") {
    if (!c.MLFLOW_TRACKING_TOKEN) throw new ConfigError([{ file: "environment variable MLOPS_MLFLOW_AUTH", message: 'is "token", so MLFLOW_TRACKING_TOKEN must be set' }]);
    auth = { kind, token: c.MLFLOW_TRACKING_TOKEN };
  } else if (kind === "basic") {
    if (!c.MLFLOW_TRACKING_USERNAME || !c.MLFLOW_TRACKING_PASSWORD) {
      throw new ConfigError([{ file: "environment variable MLOPS_MLFLOW_AUTH", message: 'is "basic", so MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD must be set' }]);
    }
    auth = { kind, username: c.MLFLOW_TRACKING_USERNAME, password: c.MLFLOW_TRACKING_PASSWORD };
  } else auth = { kind };
  const trackingUri = c.MLFLOW_TRACKING_URI.replace(/\/+$/, "");
  return { trackingUri, uiUrl: (c.MLOPS_MLFLOW_UI_URL ?? trackingUri).replace(/\/+$/, ""), experiment: c.MLOPS_MLFLOW_EXPERIMENT, auth };
}

/** The experiment name for a repository. */
export function experimentName(template: string, repo: { owner: string; name: string }): string {
  return template.replaceAll("{owner}", repo.owner).replaceAll("{repo}", repo.name);
}
