import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { startBot, REPO_API, type BotHarness } from "../helpers/bot-harness.js";
import * as gh from "../helpers/github-responses.js";
import { commitRepoConfig } from "../helpers/repo-config-origin.js";
import { tempDir } from "../helpers/temp-dir.js";

// The backlog end to end (shared by backlog-issues.test.ts and backlog-ticks.test.ts): `issues` and `pull_request.closed` deliveries through Probot, the
// whole bot wired as in main.ts (SQLite store), GitHub faked with nock. Every call the bot makes
// is recorded in `bot.calls`, so each test asserts the exact requests and their bodies. GitHub's
// side of a test is one table (`github(...rows)`): a row per call, in the order the bot makes
// them, which both fakes the answers and says which calls the bot must make.

export const OPEN = [
  "## Phase 1: Data ✅",
  "- [x] [AI] 1.1: Generate the data set",
  "- [⏭️] [AI] 1.2: Label by hand - deferred",
  "",
  "## Phase 2: Model 🔄",
  "- [x] [HUMAN] 2.1: Approve the budget",
  "- [ ] [AI] 2.6: Create Dev Environment Config",
  "",
].join("\n");
export const DONE = OPEN.replace("- [ ] [AI] 2.6", "- [x] [AI] 2.6");

export const issueJson = (body: string, state: "open" | "closed" = "open", stateReason: string | null = null, labels = ["backlog"]) =>
  gh.issue({ number: 12, body, state, stateReason, labels });

/** One GitHub call of a test: method, path under the repository, and GitHub's answer. */
export type Row = readonly [method: "GET" | "POST" | "PATCH", path: string, status: number, body?: unknown];
/** The repo config on the default branch (`undefined`: none): committed to the test's origin, where the bot reads it with git, so it is no GitHub call. */
export interface ConfigRow {
  readonly config: string | undefined;
}
export const config = (text?: string): ConfigRow => ({ config: text });
export const listComments = (...comments: unknown[]): Row => ["GET", "/issues/12/comments?per_page=100", 200, comments];
export const createComment = (id: number, issue = 12): Row => ["POST", `/issues/${issue}/comments`, 201, gh.issueComment({ id, issue })];
export const editComment = (id: number): Row => ["PATCH", `/issues/comments/${id}`, 200, gh.issueComment({ id, issue: 12 })];
export const readIssue = (body: string, state: "open" | "closed" = "open", stateReason: string | null = null): Row => ["GET", "/issues/12", 200, issueJson(body, state, stateReason)];
export const writeIssue: Row = ["PATCH", "/issues/12", 200, gh.issue({ number: 12, body: "" })];
/** The first progress comment on #12 (none listed yet, one created). */
export const firstProgress = (id = 901): Row[] => [listComments(), createComment(id)];
/** Closing #12 when its last item is done: read it again, close it, say why. */
export const CLOSE_AS_DONE: Row[] = [readIssue(DONE), writeIssue, createComment(902)];

/**
 * The whole bot for one test at a time (beforeEach / afterEach), and the table helpers over it:
 * `github(...rows)` fakes GitHub's answers and returns the calls the bot must make; `calls()`
 * lists the calls it made (`METHOD path`, token exchange left out); `bodyOf` finds a body.
 */
export function useBacklogBot() {
  let bot: BotHarness;
  beforeEach(async () => {
    const dir = tempDir();
    bot = await startBot({ dir, originRoot: path.join(dir, "origin") });
    bot.api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_t")).persist();
  });
  afterEach(async () => {
    await bot.stop();
  });

  /** `METHOD path` of every GitHub call but the token exchange. */
  const calls = () => bot.calls.filter((c) => !c.path.includes("/access_tokens")).map((c) => `${c.method} ${c.path.replace(REPO_API, "")}`);
  const bodyOf = (method: string, suffix: string) => bot.calls.find((c) => c.method === method && c.path.endsWith(suffix))?.body as Record<string, unknown> | undefined;

  /**
   * Fakes GitHub's answers to `rows` (consumed in order) and returns the calls the bot must make,
   * as `calls()` lists them. A config row commits the config to the origin instead: the bot reads
   * it with git, so no call is expected for it.
   */
  function github(...rows: Array<Row | ConfigRow>): string[] {
    const calls: Row[] = [];
    for (const row of rows) {
      if ("config" in row) commitRepoConfig(bot.originRoot, row.config);
      else calls.push(row);
    }
    for (const [method, where, status, body] of calls) {
      const [pathname = "", query] = where.split("?");
      const interceptor = bot.api().intercept(`${REPO_API}${pathname}`, method);
      (query ? interceptor.query(true) : interceptor).reply(status, body as never);
    }
    return calls.map(([method, where]) => `${method} ${where}`);
  }
  return { bot: () => bot, calls, bodyOf, github };
}
