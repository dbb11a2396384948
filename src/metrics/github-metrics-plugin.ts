import type { ProbotOctokit } from "probot";
import type { BotMetrics } from "./bot-metrics.js";

type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];
type Headers = Record<string, string | number | undefined>;

/**
 * An Octokit plugin (`ProbotOctokit.plugin(...)`) that counts every GitHub API call by method,
 * route template and status, and keeps the rate limit GitHub says is left. Routes are templates
 * (`/repos/{owner}/{repo}/issues/{issue_number}`); a full URL (a next page) is reduced to one.
 */
export function githubMetricsPlugin(metrics: BotMetrics): OctokitPlugin {
  return (octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      const record = (status: number, headers: Headers | undefined) => {
        const remaining = headers?.["x-ratelimit-remaining"];
        const resource = headers?.["x-ratelimit-resource"];
        metrics.githubCall({
          method: options.method,
          route: toRoute(options.url),
          status,
          remaining: remaining === undefined ? undefined : Number(remaining),
          resource: resource === undefined ? undefined : String(resource),
        });
      };
      try {
        const response = await request(options);
        record(response.status, response.headers);
        return response;
      } catch (e) {
        const error = e as { status?: number; response?: { headers?: Headers } };
        record(error.status ?? 0, error.response?.headers);
        throw e;
      }
    });
  };
}

/** The route template of a URL, with no owner, repository or number left in it. */
export function toRoute(url: string): string {
  if (url.includes("{") || !/^https?:\/\//.test(url)) return url.split("?")[0]!;
  const path = new URL(url).pathname.replace(/^\/api\/v3/, "");
  return path
    .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/{owner}/{repo}")
    .replace(/^\/repositories\/\d+/, "/repositories/{repository_id}")
    .replace(/\/\d+(?=\/|$)/g, "/{id}");
}
