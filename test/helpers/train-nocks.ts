import type { BotHarness } from "./bot-harness.js";
import { REPO_API } from "./bot-harness.js";
import * as gh from "./github-responses.js";
import { commitRepoConfig } from "./repo-config-origin.js";

/** `GET /pulls/1` as GitHub answers it, at `head` on `base`. */
export function pullRequestPayload(params: { head: string; base: string; fork?: boolean; state?: "open" | "closed" }) {
  return gh.pullRequest({ number: 1, head: params.head, base: params.base, fork: params.fork ?? false, state: params.state ?? "open" });
}

const withToken = new WeakSet<BotHarness>();

/** The installation token exchange, once per bot (it is cached for the rest of the test). */
export function nockInstallationToken(bot: BotHarness): void {
  if (withToken.has(bot)) return;
  withToken.add(bot);
  bot.api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_e2e")).persist();
}

/**
 * The GitHub calls of a `/train` (or other command) comment up to the queued check run:
 * token, 👀, permission, the PR, the check run (when `checkRunId` is given). The repo config
 * (`config`, committed on the origin's default branch; absent: removed) and the params files at
 * head come from the bot's git mirror, not the API.
 */
export function nockCommandIntake(
  bot: BotHarness,
  params: { commentId: number; head: string; base: string; config?: string; role?: string; checkRunId?: number; fork?: boolean; pr?: boolean; state?: "open" | "closed" },
): void {
  const { api } = bot;
  nockInstallationToken(bot);
  api().post(`${REPO_API}/issues/comments/${params.commentId}/reactions`, { content: "eyes" }).reply(201, gh.reaction("eyes"));
  commitRepoConfig(bot.originRoot, params.config);
  api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", params.role ?? "write"));
  if (params.pr !== false) api().get(`${REPO_API}/pulls/1`).reply(200, pullRequestPayload(params));
  if (params.checkRunId !== undefined) {
    api()
      .post(`${REPO_API}/check-runs`)
      .reply(201, gh.checkRun({ id: params.checkRunId, headSha: params.head }));
  }
}

/**
 * The end of a job: check-run updates (any number), the sticky comment (created without a search
 * by a pull request's first training job, edited in place later), and optionally a reaction.
 */
export function nockJobEnd(bot: BotHarness, params: { checkRunId: number; commentId?: number; reaction?: string; stickyExists?: boolean }): void {
  const { api } = bot;
  api().patch(`${REPO_API}/check-runs/${params.checkRunId}`).reply(200, gh.checkRun({ id: params.checkRunId })).persist();
  if (!params.stickyExists) {
    api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 4242 }));
  } else {
    api().patch(`${REPO_API}/issues/comments/4242`).reply(200, gh.issueComment({ id: 4242 }));
  }
  if (params.reaction) api().post(`${REPO_API}/issues/comments/${params.commentId}/reactions`, { content: params.reaction }).reply(201, gh.reaction(params.reaction));
}

/** The last PATCH of a check run that completed it. */
export function finalCheckUpdate(bot: BotHarness, checkRunId: number): { conclusion: string; output: { title: string; summary: string; text?: string }; actions?: unknown[] } {
  const done = bot.calls.filter((c) => c.method === "PATCH" && c.path === `${REPO_API}/check-runs/${checkRunId}` && (c.body as { conclusion?: string }).conclusion);
  if (done.length === 0) throw new Error(`check run ${checkRunId} was never completed`);
  return done.at(-1)!.body as never;
}

/** Waits until `predicate` holds, polling. */
export async function waitFor(predicate: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}
