import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseArgs } from "node:util";
import { GitSourceProvider } from "../../adapters/source/git-source-provider.js";
import { FsArtifactStore } from "../../adapters/stores/fs-artifact-store.js";
import { parseRepoConfig } from "../../config/parse-repo-config.js";
import { REPO_CONFIG_PATH } from "../../config/repo-config-schema.js";
import { checkOverrides } from "../../core/overrides/check-overrides.js";
import { parseOverride, type Override } from "../../core/overrides/parse-override.js";
import { formatProblem } from "../../core/problem.js";
import { buildJobEnv } from "../../jobs/build-job-env.js";
import { runTraining } from "../../jobs/run-training.js";
import { parseInline } from "../../core/limits/parse-repository-file.js";
import { compareTraining } from "../../core/train/compare-training.js";
import { parseTrainingFiles } from "../../core/train/parse-training-files.js";
import { renderTrainReport } from "../../report/train/render-train-report.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { createCliRunner } from "../create-cli-runner.js";

const run = promisify(execFile);

const usage = `Usage: mlops-bot train [--base REF] [--markdown FILE] [--quiet] [--sandbox] [key=value ...]

Trains the commit at HEAD of the git repository in the current folder (in a separate worktree,
so your files are not touched), compares its metrics and params with the base, and prints the
same report the bot posts on a pull request.

  --base REF        what to compare with: the merge-base of HEAD and REF (default: main)
  --markdown FILE   also write the report as markdown (for CI job summaries and PR comments)
  --quiet           do not stream the pipeline's output
  --sandbox         run the pipeline in the bot's bubblewrap sandbox (for code you do not trust,
                    e.g. reviewing a pull request): it sees only its checkout, a scratch HOME and
                    /tmp, and the tools on PATH, read-only
  key=value         parameter overrides, checked against the params file like /train's

The pipeline, params, metrics and gates come from .github/mlops-bot.yml in the working tree
(defaults: \`dvc repro\` in ml/). Logs and results go under $MLOPS_DATA_DIR (default .mlops-bot/).
Exit code: 0 when the run succeeded and every gate passed, 1 when not, 2 on a usage error.`;

export const trainCommand: CliCommand = {
  name: "train",
  summary: "train HEAD locally and print the metric and params diff against a base",
  usage,
  run: async (args, io) => {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
          base: { type: "string", default: "main" },
          markdown: { type: "string" },
          quiet: { type: "boolean", default: false },
          sandbox: { type: "boolean", default: false },
        },
      });
    } catch (e) {
      io.err(`mlops-bot train: ${(e as Error).message}\n\n${usage}\n`);
      return 2;
    }
    // The same reading as /train's: `"a.b"=1` names the key `a.b`; each key once.
    const assignments = parsed.positionals.map((p) => parseOverride(p));
    const bad = parsed.positionals.filter((_, i) => !assignments[i]);
    if (bad.length) {
      io.err(`mlops-bot train: overrides are key=value; got ${bad.map((b) => `"${b}"`).join(", ")}.\n`);
      return 2;
    }
    const invalid = assignments.flatMap((a) => (a && !a.ok ? [a.error] : []));
    if (invalid.length) {
      io.err(`mlops-bot train: ${invalid.join("; ").replaceAll("`", "")}.\n`);
      return 2;
    }
    const overrides = assignments.flatMap((a) => (a?.ok ? [a.value] : []));
    return trainLocally({ io, base: parsed.values.base, markdown: parsed.values.markdown, quiet: parsed.values.quiet, sandbox: parsed.values.sandbox, overrides });
  },
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run("git", args, { cwd })).stdout.trim();
}

/** A file at a revision, exactly (not trimmed); undefined when it does not exist there. */
async function showFile(cwd: string, spec: string): Promise<string | undefined> {
  return run("git", ["show", spec], { cwd, maxBuffer: 64 << 20 }).then(
    (r) => r.stdout,
    () => undefined,
  );
}

async function trainLocally(params: {
  io: CliIo;
  base: string;
  markdown: string | undefined;
  quiet: boolean;
  sandbox: boolean;
  overrides: readonly Override[];
}): Promise<number> {
  const { io } = params;
  let root: string;
  try {
    root = await git(io.cwd, "rev-parse", "--show-toplevel");
  } catch {
    io.err(`mlops-bot train: ${io.cwd} is not inside a git repository. Run it in the repository of your ML project.\n`);
    return 2;
  }
  const head = await git(root, "rev-parse", "HEAD").catch(() => "");
  if (!head) {
    io.err("mlops-bot train: this repository has no commit yet; commit your project first.\n");
    return 2;
  }
  const baseSha = await git(root, "merge-base", "HEAD", params.base).catch(() => undefined);
  if (!baseSha) {
    io.err(`mlops-bot train: cannot find "${params.base}" to compare with. Pass --base with a branch, tag or commit that exists.\n`);
    return 2;
  }
  if ((await git(root, "status", "--porcelain", "--untracked-files=no")) !== "") {
    io.err("note: you have uncommitted changes; training the committed HEAD only. Commit them to include them.\n");
  }

  const configText = await readFile(path.join(root, REPO_CONFIG_PATH), "utf8").catch(() => undefined);
  const config = parseRepoConfig(configText);
  if (!config.ok) {
    io.err(`mlops-bot train: ${REPO_CONFIG_PATH} is invalid:\n${config.error.map((p) => `  ${formatProblem(p)}`).join("\n")}\n`);
    return 2;
  }
  const { pipeline } = config.value;

  const files = await Promise.all(
    pipeline.params.map(async (file) => {
      const repoPath = path.posix.join(pipeline.workdir, file);
      return { file: repoPath, text: await showFile(root, `HEAD:${repoPath}`) };
    }),
  );
  const overrides = await checkOverrides({ overrides: params.overrides, files, parse: parseInline(), at: head.slice(0, 7) });
  if (!overrides.ok) {
    const { headline, details } = overrides.error;
    io.err(`mlops-bot train: ${headline.replaceAll("`", "")}\n${details.map((e) => `  - ${e.replaceAll("`", "")}`).join("\n")}\n`);
    return 2;
  }

  const dataDir = path.resolve(root, io.env.MLOPS_DATA_DIR ?? ".mlops-bot");
  const artifacts = new FsArtifactStore(path.join(dataDir, "artifacts"));
  const sources = new GitSourceProvider({ root: path.join(dataDir, "sources"), cloneUrl: root });
  const { env } = buildJobEnv({ botEnv: io.env, jobPath: io.env.PATH ?? "", allowed: pipeline.env, requested: pipeline.env, home: io.env.HOME });
  const made = createCliRunner({ sandbox: params.sandbox, env: io.env, jobPath: env.PATH ?? "", protect: [dataDir, root] });
  if ("error" in made) {
    io.err(`mlops-bot train --sandbox: ${made.error}\n`);
    return 2;
  }
  const runId = `local-${new Date().toISOString().replace(/[:.]/g, "-")}-${head.slice(0, 7)}`;

  io.err(`Training ${head.slice(0, 7)} against ${params.base} (${baseSha.slice(0, 7)}): ${pipeline.train.join(" ")} in ${pipeline.workdir}/${params.sandbox ? " (in the sandbox)" : ""}\n`);
  const source = await sources.checkout({ repo: { owner: "local", name: path.basename(root) }, sha: head, alsoFetch: [baseSha] });
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  let result;
  try {
    result = await runTraining({
      source,
      base: { ref: params.base, sha: baseSha },
      pipeline,
      network: config.value.sandbox.network,
      overrides: overrides.value,
      runner: made.runner,
      env,
      artifacts,
      prefix: `runs/${runId}`,
      signal: controller.signal,
      onOutput: params.quiet ? undefined : (text) => io.err(text),
      parse: parseInline(),
    });
  } finally {
    process.removeListener("SIGINT", onSignal);
    await source.release();
  }

  const state = result.outcome;
  const job = { state, reason: state === "failed" ? "The pipeline failed." : null, requestedBy: userInfo().username, headSha: head, baseRef: params.base, baseSha, pr: null };
  const comparison = compareTraining({ state, result, parsed: await parseTrainingFiles(result, parseInline()), config: config.value });
  const report = renderTrainReport({ job, result, comparison, precision: config.value.report.precision });
  io.out(`\n# ${report.title}\n\n${report.summary}\n\nLog and results: ${path.join(artifacts.location, "runs", runId)}\n`);
  if (params.markdown) await writeFile(path.resolve(io.cwd, params.markdown), `## mlops-bot/train: ${report.title}\n\n${report.summary}\n`);
  return comparison.conclusion === "success" ? 0 : 1;
}
