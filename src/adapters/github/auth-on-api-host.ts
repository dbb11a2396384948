import type { ProbotOctokit } from "probot";

type OctokitClass = typeof ProbotOctokit;
type AuthOptions = { request?: { defaults: (options: { baseUrl: string }) => unknown } } & Record<string, unknown>;

/**
 * Probot hands the App's auth strategy a `request` without the API's base URL. A token exchange
 * that a request's hook makes goes to the client's host, but an explicit
 * `octokit.auth({ type: "installation" })` (the token for a git fetch, `CodeHost.gitToken`) would
 * ask api.github.com, also for an App on GitHub Enterprise Server. This gives the strategy the
 * client's base URL, for every client the app makes (webhook contexts, `app.auth(id)`).
 */
export function authOnApiHost<T extends OctokitClass>(Octokit: T): T {
  const withBaseUrl = Octokit.defaults((options: { baseUrl?: string; auth?: unknown }) => {
    const auth = options.auth as AuthOptions | undefined;
    if (!options.baseUrl || typeof auth !== "object" || auth === null || typeof auth.request?.defaults !== "function") return options;
    return { ...options, auth: { ...auth, request: auth.request.defaults({ baseUrl: options.baseUrl }) } };
  });
  return withBaseUrl;
}
