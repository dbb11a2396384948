import { GoogleAuth } from "google-auth-library";

/** A JSON call to a Google REST API (IAM, Secret Manager) with an OAuth access token. */
export interface GoogleApi {
  /** The answer's status and parsed body; an HTTP error status is an answer, not a throw (no credentials or no network throw). */
  call(method: "GET" | "POST", url: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** The email of the service account the credentials belong to, when they are one (Cloud Run, GCE, a key file); undefined otherwise. */
  serviceAccountEmail(): Promise<string | undefined>;
}

const SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/** Over Application Default Credentials (workload identity on Cloud Run, `gcloud auth application-default login` on a laptop). */
export function adcGoogleApi(): GoogleApi {
  const auth = new GoogleAuth({ scopes: [SCOPE] });
  return googleApiWithToken(
    async () => {
      const token = await auth.getAccessToken();
      if (!token) throw new Error("Application Default Credentials gave no access token");
      return token;
    },
    async () => (await auth.getCredentials()).client_email ?? undefined,
  );
}

/** Over a given token source (tests: a static token; nock answers the API). */
export function googleApiWithToken(token: () => Promise<string>, email: () => Promise<string | undefined> = () => Promise.resolve(undefined)): GoogleApi {
  return {
    async call(method, url, body) {
      const response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${await token()}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text (an HTML error page, say)
      }
      return { status: response.status, body: parsed };
    },
    serviceAccountEmail: async () => {
      try {
        return await email();
      } catch {
        return undefined;
      }
    },
  };
}

/** Google's error message from an error body (`{ error: { message } }`), or the status. */
export function googleErrorMessage(answer: { status: number; body: unknown }): string {
  const message = (answer.body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return `${answer.status}${typeof message === "string" ? ` ${message}` : ""}`;
}
