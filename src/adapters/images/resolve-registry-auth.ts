import { GoogleAuth } from "google-auth-library";
import type { ServerConfig } from "../../config/server-config.js";
import type { RegistryAuth } from "../../ports/image-builder.js";

/**
 * Credentials for pushing to `registry` (`host[:port]/path`): the operator's basic credentials,
 * or a short-lived access token from Google Application Default Credentials (workload identity
 * on Cloud Run; no key files) for Artifact Registry. Never logged, never stored.
 */
export async function resolveRegistryAuth(params: { auth: ServerConfig["registryAuth"]; registry: string }): Promise<RegistryAuth | undefined> {
  const serveraddress = params.registry.split("/")[0] ?? params.registry;
  switch (params.auth.kind) {
    case "basic":
      return { username: params.auth.username, password: params.auth.password, serveraddress };
    case "google": {
      const token = await new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }).getAccessToken();
      if (!token) throw new Error("Application Default Credentials gave no access token for the registry");
      return { username: "oauth2accesstoken", password: token, serveraddress };
    }
    default:
      return undefined;
  }
}
