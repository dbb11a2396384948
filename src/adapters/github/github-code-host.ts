import type { ProbotOctokit } from "probot";
import { toPermissionLevel, type PermissionLevel } from "../../core/permissions/permission-level.js";
import { fitCheckRunActions, fitCheckRunOutput } from "../../report/format/fit-check-run-output.js";
import type { CheckRunAction, CheckRunOutput, CodeHost, Issue, IssueUpdate, PullRequest, Reaction } from "../../ports/code-host.js";
import { knownSecretValues } from "../secrets/secret-values.js";

export type Octokit = InstanceType<typeof ProbotOctokit>;

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `CodeHost` over an installation's Octokit (from a webhook context or `app.auth(id)`).
 * `appLogin` gives the login the app's own comments carry (`<slug>[bot]`, see `appLoginOf`):
 * a sticky comment is only ever one of those.
 */
export class GitHubCodeHost implements CodeHost {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string,
    private readonly appLogin: () => Promise<string>,
    /** The signed job page of a job id, shown as a check run's "Details" (`details_url`). */
    private readonly jobPageUrl?: ((jobId: string) => string) | undefined,
    /** The repository's `clone_url` from the webhook payload, when a webhook made this host. */
    private readonly payloadCloneUrl?: string | undefined,
  ) {}

  async getPermission(username: string): Promise<PermissionLevel> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: this.owner, repo: this.repo, username });
      return toPermissionLevel(data);
    } catch (e) {
      if (status(e) === 404 || status(e) === 403) return "none";
      throw e;
    }
  }

  readDefaultBranchFile(path: string): Promise<string | undefined> {
    return this.readContent(path, undefined);
  }

  readFile(path: string, ref: string): Promise<string | undefined> {
    return this.readContent(path, ref);
  }

  private async readContent(path: string, ref: string | undefined): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.getContent({
        owner: this.owner,
        repo: this.repo,
        path,
        ...(ref ? { ref } : {}),
        mediaType: { format: "raw" },
      });
      return typeof data === "string" ? data : Buffer.from(data as unknown as ArrayBuffer).toString("utf8");
    } catch (e) {
      if (status(e) === 404) return undefined;
      throw e;
    }
  }

  async getPullRequest(number: number): Promise<PullRequest> {
    const { data } = await this.octokit.rest.pulls.get({ owner: this.owner, repo: this.repo, pull_number: number });
    const headRepo = data.head.repo?.full_name ?? "(deleted fork)";
    return {
      number: data.number,
      state: data.state === "open" ? "open" : "closed",
      headSha: data.head.sha,
      headRef: data.head.ref,
      headRepo,
      baseRef: data.base.ref,
      baseSha: data.base.sha,
      isFork: headRepo.toLowerCase() !== data.base.repo.full_name.toLowerCase(),
      author: data.user?.login ?? "ghost",
      repoUrl: data.base.repo.html_url,
    };
  }

  async react(commentId: number, content: Reaction): Promise<void> {
    await this.octokit.rest.reactions.createForIssueComment({ owner: this.owner, repo: this.repo, comment_id: commentId, content });
  }

  async getIssue(number: number): Promise<Issue | undefined> {
    try {
      const { data } = await this.octokit.rest.issues.get({ owner: this.owner, repo: this.repo, issue_number: number });
      return {
        number: data.number,
        body: data.body ?? "",
        state: data.state === "closed" ? "closed" : "open",
        stateReason: data.state_reason ?? null,
        labels: data.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter((name) => name !== ""),
        isPullRequest: data.pull_request !== undefined && data.pull_request !== null,
      };
    } catch (e) {
      if (status(e) === 404 || status(e) === 410) return undefined;
      throw e;
    }
  }

  async updateIssue(number: number, update: IssueUpdate): Promise<void> {
    const fields =
      "body" in update ? { body: update.body } : update.state === "closed" ? { state: "closed" as const, state_reason: update.stateReason } : { state: "open" as const };
    await this.octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: number, ...fields });
  }

  async comment(issueNumber: number, body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: issueNumber, body: fitComment(knownSecretValues.redact(body)) });
  }

  async createCheckRun(params: {
    name: string;
    headSha: string;
    externalId: string;
    status: "queued" | "in_progress";
    output: CheckRunOutput;
  }): Promise<{ id: number; url: string }> {
    const { data } = await this.octokit.rest.checks.create({
      owner: this.owner,
      repo: this.repo,
      name: params.name,
      head_sha: params.headSha,
      external_id: params.externalId,
      // Check runs of jobs link their page; an external id that is no job id (a refused data check) links nothing.
      ...(this.jobPageUrl && JOB_ID.test(params.externalId) ? { details_url: this.jobPageUrl(params.externalId) } : {}),
      status: params.status,
      ...(params.status === "in_progress" ? { started_at: new Date().toISOString() } : {}),
      output: fitCheckRunOutput(redactOutput(params.output)),
    });
    return { id: data.id, url: data.html_url ?? "" };
  }

  async updateCheckRun(
    id: number,
    params: {
      status?: "queued" | "in_progress";
      conclusion?: "success" | "failure" | "neutral" | "cancelled" | "timed_out" | "action_required" | "skipped";
      output: CheckRunOutput;
      actions?: readonly CheckRunAction[];
    },
  ): Promise<{ url: string }> {
    const { data } = await this.octokit.rest.checks.update({
      owner: this.owner,
      repo: this.repo,
      check_run_id: id,
      ...(params.conclusion
        ? { status: "completed" as const, conclusion: params.conclusion, completed_at: new Date().toISOString() }
        : params.status
          ? { status: params.status }
          : {}),
      output: fitCheckRunOutput(redactOutput(params.output)),
      ...(params.actions ? { actions: fitCheckRunActions(params.actions) } : {}),
    });
    return { url: data.html_url ?? "" };
  }

  async upsertStickyComment(params: { issueNumber: number; marker: string; body: string; knownId?: number | undefined; knownAbsent?: boolean | undefined }): Promise<number> {
    const body = fitComment(knownSecretValues.redact(params.body.includes(params.marker) ? params.body : `${params.marker}\n${params.body}`));
    if (params.knownId !== undefined) {
      try {
        await this.octokit.rest.issues.updateComment({ owner: this.owner, repo: this.repo, comment_id: params.knownId, body });
        return params.knownId;
      } catch (e) {
        if (status(e) !== 404) throw e;
      }
    }
    const existing = params.knownAbsent ? undefined : await this.findComment(params.issueNumber, params.marker);
    if (existing !== undefined) {
      await this.octokit.rest.issues.updateComment({ owner: this.owner, repo: this.repo, comment_id: existing, body });
      return existing;
    }
    const { data } = await this.octokit.rest.issues.createComment({
      owner: this.owner,
      repo: this.repo,
      issue_number: params.issueNumber,
      body,
    });
    return data.id;
  }

  /** The app's own comment carrying `marker`: another bot or a person quoting the marker is not it. */
  private async findComment(issueNumber: number, marker: string): Promise<number | undefined> {
    const login = await this.appLogin();
    const iterator = this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
      owner: this.owner,
      repo: this.repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    for await (const { data } of iterator) {
      const mine = data.find((c) => c.user?.login === login && c.body?.includes(marker));
      if (mine) return mine.id;
    }
    return undefined;
  }

  cloneUrl(): string {
    return this.payloadCloneUrl ?? cloneUrlOnApiHost(String(this.octokit.request.endpoint.DEFAULTS.baseUrl), this.owner, this.repo);
  }

  async gitToken(): Promise<string> {
    const auth = (await this.octokit.auth({ type: "installation" })) as { token: string };
    knownSecretValues.add(auth.token);
    return auth.token;
  }
}

/** A check run's texts without any known secret value. */
function redactOutput(output: CheckRunOutput): CheckRunOutput {
  const r = (t: string) => knownSecretValues.redact(t);
  return { title: r(output.title), summary: r(output.summary), ...(output.text === undefined ? {} : { text: r(output.text) }) };
}

/** Issue comments are limited to 65,536 characters. */
function fitComment(body: string): string {
  const limit = 65_000;
  if (body.length <= limit) return body;
  return `${body.slice(0, limit)}\n\n> ✂️ Comment trimmed to fit GitHub's limit.`;
}

function status(e: unknown): number | undefined {
  return (e as { status?: number } | undefined)?.status;
}

/**
 * `https://<host>/<owner>/<repo>.git` for the API at `baseUrl`, as GitHub forms `clone_url`:
 * `https://api.github.com` is github.com's, `https://<host>/api/v3` a GitHub Enterprise Server's.
 */
export function cloneUrlOnApiHost(baseUrl: string, owner: string, repo: string): string {
  const api = new URL(baseUrl);
  const web = api.hostname === "api.github.com" ? "https://github.com" : `${api.protocol}//${api.host}${api.pathname.replace(/\/api\/v3\/?$/, "").replace(/\/+$/, "")}`;
  return `${web}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.git`;
}
