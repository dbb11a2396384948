import { execFile } from "node:child_process";
import { appendFile } from "node:fs/promises";
import { promisify } from "node:util";
import { knownSecretValues } from "../adapters/secrets/secret-values.js";
import type { CliIo } from "../cli/cli-command.js";
import { cliCommands } from "../cli/commands/index.js";
import { runCli } from "../cli/run-cli.js";
import { DATA_CHECK } from "../core/jobs/diff-job.js";
import { hasPermission } from "../core/permissions/permission-level.js";
import { readActionContext, type ActionContext, type ActionIo, type Request } from "./action-context.js";
import { ActionsGitHub, isReadOnly, type Publisher } from "./actions-github.js";
import { trainInAction } from "./train-in-action.js";

const run = promisify(execFile);

/**
 * The Action's entry: reads the workflow run, runs train, diff or backlog on the runner's
 * checkout like the CLI, and reports as the App does (check run and sticky comment) with the
 * workflow's token, or in the job summary when the token may not write. Returns the exit code:
 * 0 done and good (or nothing to do), 1 a failed run or gate, 2 a misconfigured workflow.
 */
export async function runAction(io: ActionIo): Promise<number> {
  const context = readActionContext(io.env);
  if (!context.ok) {
    io.err(`::error::mlops-bot: ${context.error}\n`);
    return 2;
  }
  const ctx = context.value;
  knownSecretValues.add(ctx.token);
  if (ctx.request.kind === "nothing") {
    io.out(`mlops-bot: nothing to do: ${ctx.request.reason}.\n`);
    return 0;
  }
  const github = ctx.token ? new ActionsGitHub({ apiUrl: ctx.apiUrl, token: ctx.token, owner: ctx.owner, repo: ctx.repo, fetch: io.fetch }) : undefined;
  const request = await completeRequest(ctx, ctx.request, github, io);
  if (typeof request === "number") return request;
  if (request.command === "train") return trainInAction({ ctx, request, github, io, summary: (text) => writeSummary(ctx, text) });
  return runCliCommand(ctx, request, github, io);
}

type RunRequest = Extract<Request, { kind: "run" }>;

/**
 * A comment's command runs only for someone who may write to the repository (as the App's
 * /train); its pull request's head and base come from the API, and the head commit is fetched
 * into the checkout when the workflow did not check it out.
 */
async function completeRequest(ctx: ActionContext, request: RunRequest, github: Publisher, io: ActionIo): Promise<RunRequest | number> {
  let { pr, baseRef } = request;
  if (request.commentAuthor !== undefined) {
    if (!github || !pr) {
      io.err("::error::mlops-bot: a comment's command needs the workflow's token (input github-token) to check who asked.\n");
      return 2;
    }
    const permission = await github.getPermission(request.commentAuthor);
    if (!hasPermission(permission, "write")) {
      const why = `@${request.commentAuthor} has ${permission} access; /${request.command} needs write access to ${ctx.owner}/${ctx.repo}`;
      io.out(`mlops-bot: not running: ${why}.\n`);
      await writeSummary(ctx, `## mlops-bot: not run\n\n${why}.\n`);
      return 0;
    }
    const fromApi = await github.getPullRequest(pr.number);
    pr = { ...pr, headSha: fromApi.headSha, baseRef: fromApi.baseRef };
    baseRef ??= fromApi.baseRef;
  }
  if (pr?.headSha && !(await hasCommit(ctx.cwd, pr.headSha))) {
    io.out(`mlops-bot: fetching pull request #${pr.number}'s head ${pr.headSha.slice(0, 7)} into the checkout\n`);
    await run("git", ["fetch", "--no-tags", "origin", `+refs/pull/${pr.number}/head:refs/remotes/origin/pr/${pr.number}`], { cwd: ctx.cwd }).catch(() => undefined);
  }
  return { ...request, pr, baseRef: baseRef === undefined ? undefined : await localRef(ctx.cwd, baseRef) };
}

async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  return run("git", ["cat-file", "-e", `${sha}^{commit}`], { cwd }).then(
    () => true,
    () => false,
  );
}

/** A branch name as the checkout has it: `origin/<name>` after actions/checkout, else the name as given. */
async function localRef(cwd: string, name: string): Promise<string> {
  const remote = `origin/${name}`;
  return (await hasCommit(cwd, `refs/remotes/${remote}`)) ? remote : name;
}

/** `diff` and `backlog`: the CLI's command; diff's markdown becomes the App's data check run. */
async function runCliCommand(ctx: ActionContext, request: RunRequest, github: Publisher, io: ActionIo): Promise<number> {
  const argv =
    request.command === "diff"
      ? ["diff", "--markdown", ...(request.baseRef ? ["--base", request.baseRef] : []), ...(request.pr?.headSha ? ["--head", request.pr.headSha] : []), ...ctx.args]
      : ["backlog", "--markdown", ...ctx.args];
  let out = "";
  let errors = "";
  const cli: CliIo = { cwd: ctx.cwd, env: io.env, out: (t) => void (out += t), err: (t) => void (errors += t) };
  io.out(`mlops-bot ${argv.join(" ")}\n`);
  const code = await runCli({ argv, io: cli, commands: cliCommands });
  io.err(errors);
  const report = code === 0 ? out : `mlops-bot ${request.command} failed:\n\n\`\`\`\n${errors.trim()}\n\`\`\`\n`;
  await writeSummary(ctx, report);
  if (request.command === "diff" && github && request.pr?.headSha) {
    const output = { title: code === 0 ? "Data, params and metrics against the base" : "The data check failed", summary: report };
    await publishCheck(github, { name: DATA_CHECK, headSha: request.pr.headSha, detailsUrl: ctx.runUrl, output, conclusion: code === 0 ? "success" : "failure" }, io);
  }
  return code;
}

/** A finished check run; a token that may not write (fork PRs) is said in the log, not failed on. */
async function publishCheck(
  github: ActionsGitHub,
  params: { name: string; headSha: string; detailsUrl: string | undefined; output: { title: string; summary: string }; conclusion: "success" | "failure" },
  io: ActionIo,
): Promise<void> {
  try {
    const check = await github.createCheckRun(params);
    await github.completeCheckRun(check.id, { conclusion: params.conclusion, output: params.output });
  } catch (e) {
    if (!isReadOnly(e)) throw e;
    io.out(`mlops-bot: the token may not write checks here (${(e as Error).message}); the report is in the job summary.\n`);
  }
}

/** Appends markdown to the job summary (GITHUB_STEP_SUMMARY), redacted; nothing when there is none. */
export async function writeSummary(ctx: ActionContext, markdown: string): Promise<void> {
  if (ctx.summaryFile) await appendFile(ctx.summaryFile, `${knownSecretValues.redact(markdown).trimEnd()}\n\n`);
}
