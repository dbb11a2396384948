/**
 * One round of bench:train on the bot's side: a fresh bot (its own data folder: empty mirror,
 * empty shared DVC cache) on a throwaway "GitHub" repository of the example project, GitHub's API
 * faked with nock (real payload and answer shapes), the real pipeline on the local runner. Each
 * case is timed from the webhook delivery to the job's end reported (check run completed, sticky
 * comment, reaction), and says which stages DVC ran (its log's `Running stage '…':` lines).
 */
import nock from "nock";
import { isKind, isReadable } from "../../src/core/jobs/job.js";
import { startBot, REPO_API, type BotHarness } from "../../test/helpers/bot-harness.js";
import * as gh from "../../test/helpers/github-responses.js";
import { checkRunPayload, prCommentPayload } from "../../test/helpers/payloads.js";

export interface CaseTiming {
  readonly seconds: number;
  readonly stages: string[];
  readonly state: string;
  readonly calls: number;
  /** The pipeline's own wall time inside the bot's job (the runner's, sandbox start included); the rest of `seconds` is the bot's. */
  readonly pipelineSeconds?: number | undefined;
}

export const CASES = ["first /train", "Re-run, same commit", "train.* override", "data.* override"] as const;
export type CaseName = (typeof CASES)[number];

/** The comment (or button) of each case after the first. */
export const OVERRIDES: Record<CaseName, string> = {
  "first /train": "",
  "Re-run, same commit": "",
  "train.* override": "train.n_estimators=60",
  "data.* override": "data.n_samples=2500",
};

/** GitHub as the bot sees it during a round: every call answered, none to the network (the repo config, none: every default, comes from the origin with git). */
function fakeGitHub(bot: BotHarness, head: string, base: string): void {
  bot.api().post("/app/installations/2/access_tokens").reply(201, gh.installationToken("ghs_bench")).persist();
  bot.api().post(/\/issues\/comments\/\d+\/reactions$/).reply(201, gh.reaction("eyes")).persist();
  bot.api().get(`${REPO_API}/collaborators/octocat/permission`).reply(200, gh.permission("octocat", "write")).persist();
  bot.api().get(`${REPO_API}/pulls/1`).reply(200, gh.pullRequest({ number: 1, head, base })).persist();
  let checkRun = 100;
  bot.api().post(`${REPO_API}/check-runs`).reply(201, () => gh.checkRun({ id: ++checkRun, headSha: head })).persist();
  bot.api().patch(/\/check-runs\/\d+$/).reply(200, gh.checkRun({ id: 100 })).persist();
  bot.api().get(`${REPO_API}/issues/1/comments`).query(true).reply(200, []).persist();
  bot.api().post(`${REPO_API}/issues/1/comments`).reply(201, gh.issueComment({ id: 4242 })).persist();
  bot.api().patch(`${REPO_API}/issues/comments/4242`).reply(200, gh.issueComment({ id: 4242 })).persist();
}

/** Runs the four cases in order on one fresh bot; returns each case's timing. */
export async function oursRound(params: { dir: string; originRoot: string; head: string; base: string }): Promise<Record<CaseName, CaseTiming>> {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  // The bot as it runs (main.ts): the worker's own poll, progress every 10 s, a parse worker started before the first comment.
  const bot = await startBot({ dir: params.dir, originRoot: params.originRoot, progressEveryMs: 10_000, pollMs: undefined, warmParser: true });
  fakeGitHub(bot, params.head, params.base);
  await bot.worker.start();
  const out = {} as Record<CaseName, CaseTiming>;
  let comment = 9000;
  try {
    for (const name of CASES) {
      const before = (await bot.engine.store.list({ kind: "train" })).length;
      const mark = bot.calls.length;
      const started = performance.now();
      if (name === "Re-run, same commit") {
        const previous = (await bot.engine.store.list({ kind: "train" })).at(-1)!;
        await bot.deliver("check_run", checkRunPayload({ action: "rerequested", jobId: previous.id }));
      } else {
        const body = `/train ${OVERRIDES[name]}`.trim();
        await bot.deliver("issue_comment", prCommentPayload({ body, commentId: ++comment }));
      }
      await bot.worker.idle();
      const seconds = (performance.now() - started) / 1000;
      const jobs = await bot.engine.store.list({ kind: "train" });
      if (jobs.length !== before + 1) throw new Error(`${name}: expected one new job, found ${jobs.length - before}`);
      const job = jobs.at(-1)!;
      const log = (await bot.engine.artifacts.get(`jobs/${job.id}/log.txt`))?.toString() ?? "";
      const stages = [...log.matchAll(/^Running stage '([^']+)':/gm)].map((m) => m[1]!);
      const calls = bot.calls.slice(mark).filter((c) => !c.path.includes("/access_tokens")).length;
      const pipelineMs = isReadable(job) && isKind(job, "train") ? job.result?.durationMs : undefined;
      out[name] = { seconds, stages, state: job.state, calls, pipelineSeconds: pipelineMs === undefined ? undefined : pipelineMs / 1000 };
    }
  } finally {
    await bot.stop();
    nock.cleanAll();
  }
  return out;
}
