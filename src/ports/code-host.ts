import type { PermissionLevel } from "../core/permissions/permission-level.js";

export interface PullRequest {
  readonly number: number;
  readonly state: "open" | "closed";
  readonly headSha: string;
  readonly headRef: string;
  /** `owner/name` of the head repository; differs from the base for fork PRs. */
  readonly headRepo: string;
  readonly baseRef: string;
  readonly baseSha: string;
  readonly isFork: boolean;
  readonly author: string;
  /** The base repository's web page, as GitHub returns it (`html_url`; on GitHub Enterprise Server, its host). */
  readonly repoUrl: string;
}

export type CheckStatus = "queued" | "in_progress";
export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled" | "timed_out" | "action_required" | "skipped";

export interface CheckRunOutput {
  readonly title: string;
  readonly summary: string;
  readonly text?: string | undefined;
}

/** A button on the check run; GitHub sends `check_run.requested_action` with the identifier. */
export interface CheckRunAction {
  readonly label: string;
  readonly description: string;
  readonly identifier: string;
}

export type Reaction = "eyes" | "rocket" | "confused" | "+1" | "-1";

/** An issue as the bot reads it (backlog checklists). */
export interface Issue {
  readonly number: number;
  /** The markdown body; empty when the issue has none. */
  readonly body: string;
  readonly state: "open" | "closed";
  readonly stateReason: "completed" | "not_planned" | "reopened" | "duplicate" | null;
  readonly labels: readonly string[];
  /** GitHub numbers issues and pull requests alike: true when this number is a pull request. */
  readonly isPullRequest: boolean;
}

/** One change to an issue: its body, or its state. */
export type IssueUpdate =
  | { readonly body: string }
  | { readonly state: "closed"; readonly stateReason: "completed" | "not_planned" }
  | { readonly state: "open" };

/**
 * Everything the bot asks of GitHub for one repository. The GitHub adapter implements it over an
 * installation's Octokit; every output goes through `fitCheckRunOutput` so GitHub never rejects it.
 */
export interface CodeHost {
  readonly owner: string;
  readonly repo: string;
  getPermission(username: string): Promise<PermissionLevel>;
  /**
   * A file on the default branch through the API; undefined if absent. Only `/doctor`'s checks use
   * it: the bot reads its repo config with git from its mirror (`SourceProvider.readDefaultBranchFile`).
   */
  readDefaultBranchFile(path: string): Promise<string | undefined>;
  /** A file at a commit; undefined if absent. */
  readFile(path: string, ref: string): Promise<string | undefined>;
  getPullRequest(number: number): Promise<PullRequest>;
  react(commentId: number, reaction: Reaction): Promise<void>;
  /** An issue (or pull request) by number; undefined when there is none (404, 410 deleted). */
  getIssue(number: number): Promise<Issue | undefined>;
  /** Writes an issue's body, or closes / reopens it. GitHub has no compare-and-swap here. */
  updateIssue(number: number, update: IssueUpdate): Promise<void>;
  comment(issueNumber: number, body: string): Promise<void>;
  createCheckRun(params: {
    name: string;
    headSha: string;
    externalId: string;
    status: CheckStatus;
    output: CheckRunOutput;
  }): Promise<{ id: number; url: string }>;
  updateCheckRun(
    id: number,
    params: { status?: CheckStatus; conclusion?: CheckConclusion; output: CheckRunOutput; actions?: readonly CheckRunAction[] },
  ): Promise<{ url: string }>;
  /**
   * Edits the bot's own comment carrying `marker` on the issue/PR, or creates it. `knownId` (from
   * a cache) saves the search; a stale id falls back to it. `knownAbsent` (the caller's records
   * say there is none yet) creates it without searching. Returns the comment id.
   */
  upsertStickyComment(params: { issueNumber: number; marker: string; body: string; knownId?: number | undefined; knownAbsent?: boolean | undefined }): Promise<number>;
  /** A short-lived token for one git fetch of this repository. Never store or log it. */
  gitToken(): Promise<string>;
  /**
   * The repository's git URL as GitHub gives it (`clone_url`): from the webhook that started the
   * work, else on the host of the API this host talks to (github.com, or a GitHub Enterprise Server).
   */
  cloneUrl(): string;
}
