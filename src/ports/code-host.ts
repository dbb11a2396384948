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

/**
 * Everything the bot asks of GitHub for one repository. The GitHub adapter implements it over an
 * installation's Octokit; every output goes through `fitCheckRunOutput` so GitHub never rejects it.
 */
export interface CodeHost {
  readonly owner: string;
  readonly repo: string;
  getPermission(username: string): Promise<PermissionLevel>;
  /** A file on the default branch (the only place config is read from); undefined if absent. */
  readDefaultBranchFile(path: string): Promise<string | undefined>;
  /** A file at a commit; undefined if absent. */
  readFile(path: string, ref: string): Promise<string | undefined>;
  getPullRequest(number: number): Promise<PullRequest>;
  react(commentId: number, reaction: Reaction): Promise<void>;
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
  ): Promise<void>;
  /**
   * Edits the bot's own comment carrying `marker` on the issue/PR, or creates it. `knownId` (from
   * a cache) saves the search; a stale id falls back to it. Returns the comment id.
   */
  upsertStickyComment(params: { issueNumber: number; marker: string; body: string; knownId?: number | undefined }): Promise<number>;
  /** A short-lived token for one git fetch of this repository. Never store or log it. */
  gitToken(): Promise<string>;
}
