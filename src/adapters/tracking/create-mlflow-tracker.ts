import { GoogleAuth } from "google-auth-library";
import type { MlflowConfig } from "../../config/mlflow-config.js";
import type { ExperimentTracker } from "../../ports/experiment-tracker.js";
import { MlflowTracker, type MlflowAuth } from "./mlflow-tracker.js";

/** The tracker for the configured MLflow server, with its authentication. */
export function createMlflowTracker(config: MlflowConfig): ExperimentTracker {
  return new MlflowTracker({ trackingUri: config.trackingUri, uiUrl: config.uiUrl, auth: mlflowAuth(config) });
}

/** The `Authorization` header the configured credentials give (none, a token, basic, a Google ID token for the service URL). */
export function mlflowAuth(config: MlflowConfig): MlflowAuth | undefined {
  const { auth } = config;
  if (auth.kind === "token") return () => Promise.resolve(`Bearer ${auth.token}`);
  if (auth.kind === "basic") return () => Promise.resolve(`Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`);
  if (auth.kind === "google") {
    // A Cloud Run service that allows only invokers: an ID token with the service URL as audience.
    const client = new GoogleAuth().getIdTokenClient(config.trackingUri);
    return async () => {
      const headers = await (await client).getRequestHeaders();
      return headers.Authorization ?? headers.authorization;
    };
  }
  return undefined;
}
