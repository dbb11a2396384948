import { readFileSync } from "node:fs";
import path from "node:path";
import type { Override } from "../core/overrides/parse-override.js";
import { err, ok, type Result } from "../core/result.js";
import { parseSlashCommands } from "../core/slash-commands/parse-slash-commands.js";

/** Where the Action writes: the job log (stdout, stderr) and, through the context, GitHub and the job summary. */
export interface ActionIo {
  readonly env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  readonly fetch?: typeof fetch | undefined;
}

export const ACTION_COMMANDS = ["train", "diff", "backlog"] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** What the workflow run asks for, read from the variables GitHub Actions sets and the event file. */
export interface ActionContext {
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
  readonly serverUrl: string;
  /** The workflow's token (input `github-token`); undefined: only the job summary is written. */
  readonly token: string | undefined;
  /** The folder the command runs in (input `working-directory`, relative to GITHUB_WORKSPACE). */
  readonly cwd: string;
  readonly summaryFile: string | undefined;
  /** The link to this workflow run, for the report. */
  readonly runUrl: string | undefined;
  readonly eventName: string;
  /** Where the run's mirrors, worktrees and results go: RUNNER_TEMP, never the workspace. */
  readonly dataDir: string | undefined;
  readonly sandbox: boolean;
  /** Input `args`: extra words for the command (overrides for train, the file for backlog). */
  readonly args: readonly string[];
  /** What to do: a command, or nothing (a comment that asks for none) with the reason. */
  readonly request: Request;
}

export type Request =
  | { readonly kind: "run"; readonly command: ActionCommand; readonly pr: PullRequestRef | undefined; readonly baseRef: string | undefined; readonly requestedBy: string; readonly overrides: readonly Override[]; readonly commentAuthor?: string | undefined }
  | { readonly kind: "nothing"; readonly reason: string };

/** A pull request as the event names it; an `issue_comment` event gives only its number (head and base come from the API). */
export interface PullRequestRef {
  readonly number: number;
  readonly headSha: string | undefined;
  readonly baseRef: string | undefined;
}

interface Event {
  pull_request?: { number: number; head: { sha: string }; base: { ref: string } };
  issue?: { number: number; pull_request?: unknown };
  comment?: { body?: string; user?: { login?: string } };
  sender?: { login?: string };
}

/** Reads GITHUB_* and INPUT_* variables; a missing or bad one is named with what to change. */
export function readActionContext(env: NodeJS.ProcessEnv): Result<ActionContext, string> {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo) return err(`GITHUB_REPOSITORY is ${JSON.stringify(env.GITHUB_REPOSITORY ?? "")}, not owner/name: run mlops-bot's Action in a GitHub Actions workflow.`);
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  let event: Event;
  try {
    event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? "", "utf8")) as Event;
  } catch (e) {
    return err(`GITHUB_EVENT_PATH ${JSON.stringify(env.GITHUB_EVENT_PATH ?? "")} is not a readable event file (${(e as Error).message}).`);
  }
  const input = (name: string) => env[`INPUT_${name.toUpperCase()}`]?.trim() || undefined;
  const command = input("command") ?? "train";
  if (!(ACTION_COMMANDS as readonly string[]).includes(command)) return err(`input command is ${JSON.stringify(command)}; use one of ${ACTION_COMMANDS.join(", ")}.`);
  const sandbox = input("sandbox") ?? "false";
  if (sandbox !== "true" && sandbox !== "false") return err(`input sandbox is ${JSON.stringify(sandbox)}; use true or false.`);
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const request = readRequest({ eventName, event, command: command as ActionCommand, base: input("base"), actor: env.GITHUB_ACTOR ?? "" });
  if (!request.ok) return request;
  return ok({
    owner,
    repo,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    serverUrl: env.GITHUB_SERVER_URL ?? "https://github.com",
    token: input("github-token"),
    cwd: path.resolve(workspace, input("working-directory") ?? "."),
    summaryFile: env.GITHUB_STEP_SUMMARY || undefined,
    runUrl: env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    eventName,
    dataDir: env.MLOPS_DATA_DIR ? undefined : env.RUNNER_TEMP ? path.join(env.RUNNER_TEMP, "mlops-bot") : undefined,
    sandbox: sandbox === "true",
    args: (input("args") ?? "").split(/\s+/).filter(Boolean),
    request: request.value,
  });
}

function readRequest(params: { eventName: string; event: Event; command: ActionCommand; base: string | undefined; actor: string }): Result<Request, string> {
  const { event } = params;
  const requestedBy = event.sender?.login ?? params.actor;
  if (params.eventName === "issue_comment") {
    if (!event.issue || event.issue.pull_request === undefined) return ok({ kind: "nothing", reason: "the comment is on an issue, not a pull request" });
    // The comment is hostile input: parsed as the App parses it (code blocks, quotes and HTML comments hide a command).
    const parsed = parseSlashCommands(event.comment?.body ?? "");
    const wanted = parsed.commands.find((c) => c.name === "train" || c.name === "diff");
    if (!wanted) return ok({ kind: "nothing", reason: "the comment asks for no /train or /diff" });
    const author = event.comment?.user?.login ?? requestedBy;
    const pr = { number: event.issue.number, headSha: undefined, baseRef: undefined };
    return ok({ kind: "run", command: wanted.name as ActionCommand, pr, baseRef: params.base, requestedBy: author, overrides: wanted.assignments, commentAuthor: author });
  }
  const pull = event.pull_request;
  const pr = pull ? { number: pull.number, headSha: pull.head.sha, baseRef: pull.base.ref } : undefined;
  return ok({ kind: "run", command: params.command, pr, baseRef: params.base ?? pr?.baseRef, requestedBy, overrides: [] });
}
