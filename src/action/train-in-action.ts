import { reportLocalRun } from "../cli/train/print-train-result.js";
import { resolveTrainTarget, type TrainTarget } from "../cli/train/resolve-train-target.js";
import { trainLocally } from "../cli/train/train-locally.js";
import { parseOverride } from "../core/overrides/parse-override.js";
import { TRAIN_CHECK, TRAIN_MARKER } from "../core/jobs/train-job.js";
import type { ActionContext, ActionIo, Request } from "./action-context.js";
import { isReadOnly, type Publisher } from "./actions-github.js";

/**
 * `command: train` on the runner: the CLI's training (a worktree of the pull request's head in
 * RUNNER_TEMP, the pipeline with the allow-listed environment: never the workflow's token), then
 * the App's report: the check run `mlops-bot/train` on the head commit, the sticky comment on
 * the pull request, and the job summary. A token that may not write (fork PRs) gets the summary only.
 */
export async function trainInAction(params: {
  ctx: ActionContext;
  request: Extract<Request, { kind: "run" }>;
  github: Publisher;
  io: ActionIo;
  summary: (markdown: string) => Promise<void>;
}): Promise<number> {
  const { ctx, request, io } = params;
  const fromArgs = ctx.args.map((word) => ({ word, parsed: parseOverride(word) }));
  const bad = fromArgs.filter((a) => !a.parsed?.ok);
  if (bad.length) {
    io.err(`::error::mlops-bot train: input args are key=value overrides; got ${bad.map((a) => JSON.stringify(a.word)).join(", ")}.\n`);
    return 2;
  }
  const overrides = [...request.overrides, ...fromArgs.flatMap((a) => (a.parsed?.ok ? [a.parsed.value] : []))];
  const target = await resolveTrainTarget({ cwd: ctx.cwd, base: request.baseRef ?? "main", head: request.pr?.headSha ?? "HEAD", overrides });
  if (!target.ok) {
    io.err(`::error::mlops-bot train: ${target.error}\n`);
    await params.summary(`## mlops-bot/train: could not start\n\n${target.error}\n`);
    return 2;
  }
  const { headSha } = target.value;
  for (const note of target.value.notes) io.out(`note: ${note}\n`);

  let github = params.github;
  let check: { id: number; url: string } | undefined;
  if (github) {
    try {
      check = await github.createCheckRun({ name: TRAIN_CHECK, headSha, detailsUrl: ctx.runUrl, output: { title: "Training", summary: `Training \`${headSha.slice(0, 7)}\` in [this workflow run](${ctx.runUrl ?? ""}).` } });
    } catch (e) {
      if (!isReadOnly(e)) throw e;
      io.out(`mlops-bot: the token may not write checks here (${(e as Error).message}): a fork's pull request, or the workflow's permissions lack checks: write and pull-requests: write. The report goes to the job summary only.\n`);
      github = undefined;
    }
  }

  const progress = { checkDone: false };
  try {
    return await trainAndReport({ ...params, github, check, progress, target: target.value });
  } catch (e) {
    // Never leave the check run in progress: it ends as failed, naming the error, and the step fails.
    const summary = `The run stopped on an error: ${(e as Error).message}`;
    if (github && check && !progress.checkDone) await github.completeCheckRun(check.id, { conclusion: "failure", output: { title: "mlops-bot failed", summary } }).catch(() => undefined);
    throw e;
  }
}

async function trainAndReport(params: {
  ctx: ActionContext;
  request: Extract<Request, { kind: "run" }>;
  github: Publisher;
  check: { id: number; url: string } | undefined;
  /** Set once the check run is completed, so an error after that does not overwrite its conclusion. */
  progress: { checkDone: boolean };
  target: TrainTarget;
  io: ActionIo;
  summary: (markdown: string) => Promise<void>;
}): Promise<number> {
  const { ctx, request, io, github, check } = params;
  const env = ctx.dataDir ? { ...io.env, MLOPS_DATA_DIR: ctx.dataDir } : io.env;
  const trained = await trainLocally({ target: params.target, cwd: ctx.cwd, env, sandbox: ctx.sandbox, onStart: (what) => io.out(`${what}\n`), onOutput: (text) => io.out(text) });
  if (!trained.ok) {
    io.err(`::error::mlops-bot train: ${trained.error}\n`);
    if (github && check) await github.completeCheckRun(check.id, { conclusion: "failure", output: { title: "Could not start", summary: trained.error } });
    params.progress.checkDone = true;
    await params.summary(`## mlops-bot/train: could not start\n\n${trained.error}\n`);
    return 2;
  }
  const { comparison, report } = await reportLocalRun({ target: params.target, local: trained.value, requestedBy: request.requestedBy, requesterIsLogin: true, checkUrl: check?.url });
  if (github && check) {
    await github.completeCheckRun(check.id, { conclusion: comparison.conclusion, output: { title: report.title, summary: report.summary, text: report.text } });
    params.progress.checkDone = true;
    if (request.pr) io.out(`mlops-bot: report in ${await github.upsertStickyComment({ issueNumber: request.pr.number, marker: TRAIN_MARKER, body: report.comment })}\n`);
  }
  await params.summary(`## mlops-bot/train: ${report.title}\n\n${report.summary}\n`);
  return comparison.conclusion === "success" ? 0 : 1;
}
