import { toPermissionLevel, type PermissionLevel } from "../core/permissions/permission-level.js";
import { knownSecretValues } from "../adapters/secrets/secret-values.js";
import type { CheckConclusion, CheckRunOutput } from "../ports/code-host.js";
import { fitCheckRunOutput } from "../report/format/fit-check-run-output.js";

/** The login of the comments a workflow's GITHUB_TOKEN writes: a sticky comment is only ever one of those. */
export const ACTIONS_LOGIN = "github-actions[bot]";

/** A GitHub answer that is not 2xx: `status` says whether it is "no permission" (403, 404) or else. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The few REST calls the Action makes with the workflow's token, over `fetch` (no Octokit: the
 * Action stays light). Every text it sends is redacted of known secret values and fitted to
 * GitHub's limits, as the App's adapter does.
 */
export class ActionsGitHub {
  constructor(
    private readonly params: { apiUrl: string; token: string; owner: string; repo: string; fetch?: typeof fetch },
  ) {}

  private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const { apiUrl, token, owner, repo } = this.params;
    const url = `${apiUrl.replace(/\/$/, "")}/repos/${owner}/${repo}${route}`;
    const response = await (this.params.fetch ?? fetch)(url, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "mlops-bot-action",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const detail = ((await response.json().catch(() => ({}))) as { message?: string }).message ?? response.statusText;
      throw new GitHubError(response.status, `GitHub answered ${response.status} to ${method} ${route}: ${detail}`);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async getPullRequest(number: number): Promise<{ headSha: string; baseRef: string; state: string }> {
    const pr = await this.call<{ head: { sha: string }; base: { ref: string }; state: string }>("GET", `/pulls/${number}`);
    return { headSha: pr.head.sha, baseRef: pr.base.ref, state: pr.state };
  }

  /** A user's permission on the repository; "none" when GitHub says 404 (not a collaborator). */
  async getPermission(username: string): Promise<PermissionLevel> {
    try {
      return toPermissionLevel(await this.call<{ permission?: string; role_name?: string }>("GET", `/collaborators/${encodeURIComponent(username)}/permission`));
    } catch (e) {
      if (e instanceof GitHubError && e.status === 404) return "none";
      throw e;
    }
  }

  async createCheckRun(params: { name: string; headSha: string; output: CheckRunOutput; detailsUrl?: string | undefined }): Promise<{ id: number; url: string }> {
    const data = await this.call<{ id: number; html_url?: string }>("POST", "/check-runs", {
      name: params.name,
      head_sha: params.headSha,
      status: "in_progress",
      started_at: new Date().toISOString(),
      ...(params.detailsUrl ? { details_url: params.detailsUrl } : {}),
      output: fitCheckRunOutput(redactOutput(params.output)),
    });
    return { id: data.id, url: data.html_url ?? "" };
  }

  async completeCheckRun(id: number, params: { conclusion: CheckConclusion; output: CheckRunOutput }): Promise<void> {
    await this.call("PATCH", `/check-runs/${id}`, {
      status: "completed",
      conclusion: params.conclusion,
      completed_at: new Date().toISOString(),
      output: fitCheckRunOutput(redactOutput(params.output)),
    });
  }

  /** Edits the workflow token's own comment carrying `marker` on the pull request, or creates it. Returns its URL. */
  async upsertStickyComment(params: { issueNumber: number; marker: string; body: string }): Promise<string> {
    const text = knownSecretValues.redact(params.body.includes(params.marker) ? params.body : `${params.marker}\n${params.body}`);
    const body = text.length <= 65_000 ? text : `${text.slice(0, 65_000)}\n\n> ✂️ Comment trimmed to fit GitHub's limit.`;
    for (let page = 1; page <= 50; page++) {
      const comments = await this.call<Array<{ id: number; body?: string; html_url: string; user?: { login?: string } | null }>>("GET", `/issues/${params.issueNumber}/comments?per_page=100&page=${page}`);
      const mine = comments.find((c) => c.user?.login === ACTIONS_LOGIN && c.body?.includes(params.marker));
      if (mine) return (await this.call<{ html_url: string }>("PATCH", `/issues/comments/${mine.id}`, { body })).html_url;
      if (comments.length < 100) break;
    }
    return (await this.call<{ html_url: string }>("POST", `/issues/${params.issueNumber}/comments`, { body })).html_url;
  }
}

/** 403: the workflow's token is read-only (a fork's pull request, or `permissions:` without checks/pull-requests: write). */
export function isReadOnly(e: unknown): boolean {
  return e instanceof GitHubError && (e.status === 403 || e.status === 404);
}

/** What the report needs from GitHub; undefined: the token cannot write (a fork's pull request) or there is none. */
export type Publisher = ActionsGitHub | undefined;

function redactOutput(output: CheckRunOutput): CheckRunOutput {
  const r = (t: string) => knownSecretValues.redact(t);
  return { title: r(output.title), summary: r(output.summary), ...(output.text === undefined ? {} : { text: r(output.text) }) };
}
