import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { extractTarball } from "../../adapters/files/extract-tarball.js";
import { LocalProcessRunner } from "../../adapters/runners/local-process-runner.js";
import type { CompletionRecord } from "../../adapters/runners/cloud-run-records.js";
import { NoSandbox } from "../../adapters/runners/sandbox/no-sandbox.js";
import { hardenedGitArgs } from "../../adapters/source/run-git.js";
import { createArtifactStore } from "../../adapters/stores/create-artifact-store.js";
import { FILE_OUTPUT_LIMITS } from "../../core/output-limits.js";
import { collectOutputs } from "../../jobs/collect-outputs.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import type { CliCommand, CliIo } from "../cli-command.js";

const exec = promisify(execFile);
const GiB = 1024 * 1024 * 1024;
/** The source tarball is the repository at one commit: large files are normal, links are not taken. */
const SOURCE_LIMITS = { perFileBytes: 1 * GiB, totalBytes: 2 * GiB };

const usage = `Usage: mlops-bot job --run URL --workdir DIR [--timeout SECONDS] [--collect PATH ...] [--env NAME ...] -- COMMAND [ARG ...]

The entry point of the training image on Cloud Run (and anywhere a job runs away from the bot):
downloads the run's source tarball from URL/source.tar.gz, runs COMMAND (argv, no shell) in DIR,
and uploads URL/log.txt, the collected paths under URL/files/, and URL/completion.json.
URL is gs://bucket/prefix/runs/<id> (or file:///path for local use). The command's environment
is PATH, HOME and the variables named by --env; nothing else of this process's environment.
Links, absolute names and ".." in the tarball are not extracted; only regular files inside DIR
are collected. Exit code 0 once the completion record is written (the record says how the
pipeline ended).`;

/** `mlops-bot job`: the agent that runs one training job inside a Cloud Run task. */
export const jobCommand: CliCommand = {
  name: "job",
  summary: "run one training job from a run folder in cloud storage (the training image's entry point)",
  usage,
  run: async (args, io) => {
    const dash = args.indexOf("--");
    let parsed;
    try {
      parsed = parseArgs({
        args: dash >= 0 ? args.slice(0, dash) : [...args],
        options: {
          run: { type: "string" },
          workdir: { type: "string", default: "." },
          timeout: { type: "string", default: "1800" },
          collect: { type: "string", multiple: true, default: [] },
          env: { type: "string", multiple: true, default: [] },
        },
      });
    } catch (e) {
      io.err(`mlops-bot job: ${(e as Error).message}\n\n${usage}\n`);
      return 2;
    }
    const argv = dash >= 0 ? args.slice(dash + 1) : [];
    const timeout = Number(parsed.values.timeout);
    const run = parsed.values.run;
    if (!run || argv.length === 0 || !Number.isFinite(timeout) || timeout <= 0) {
      io.err(`mlops-bot job: --run, a positive --timeout and a command after -- are required.\n\n${usage}\n`);
      return 2;
    }
    const store = await createArtifactStore(run, { gcsEndpoint: io.env.MLOPS_GCS_ENDPOINT }, "--run");
    const tarball = await store.get("source.tar.gz");
    if (!tarball) {
      io.err(`mlops-bot job: ${run}/source.tar.gz does not exist.\n`);
      return 1;
    }
    const work = await mkdtemp(path.join(io.env.MLOPS_JOB_ROOT ?? tmpdir(), "mlops-job-"));
    try {
      const { values } = parsed;
      return await runJob({ io, store, tarball, work, argv, workdir: values.workdir, timeout, collect: values.collect, envNames: values.env, run });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};

async function runJob(params: {
  io: CliIo;
  store: ArtifactStore;
  tarball: Buffer;
  work: string;
  argv: string[];
  workdir: string;
  timeout: number;
  collect: readonly string[];
  envNames: readonly string[];
  run: string;
}): Promise<number> {
  const { io, store, work } = params;
  const root = path.join(work, "src");
  const logFile = path.join(work, "log.txt");
  const notes: string[] = [];
  await mkdir(root);
  const extracted = await extractTarball(params.tarball, root, SOURCE_LIMITS);
  notes.push(...extracted.notes.map((n) => `source: ${n}`));
  await makeRepository(root);

  io.err(`mlops-bot job: running ${params.argv.join(" ")} in ${params.workdir}\n`);
  const env: Record<string, string> = { PATH: io.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", HOME: io.env.HOME ?? work };
  for (const name of params.envNames) if (io.env[name] !== undefined) env[name] = io.env[name];
  const result = await new LocalProcessRunner({ sandbox: new NoSandbox() }).run({
    argv: params.argv,
    source: { root, workdir: params.workdir },
    env,
    timeoutMs: params.timeout * 1000,
    logLimitBytes: 20 * 1024 * 1024,
    log: createWriteStream(logFile),
    onOutput: (text) => io.err(text),
    signal: new AbortController().signal,
  });
  const collected = await collectOutputs({ root: path.join(root, params.workdir), entries: params.collect, limits: FILE_OUTPUT_LIMITS });
  for (const [rel, data] of collected.files) await store.put(`files/${rel}`, data);
  notes.push(...collected.notes.map((n) => `outputs: ${n}`));
  const noteText = notes.length ? `\n[mlops-bot job]\n${notes.map((n) => `- ${n}`).join("\n")}\n` : "";
  if (noteText) io.err(noteText);
  await store.put("log.txt", Buffer.concat([await readFile(logFile), Buffer.from(noteText)]));
  const record: CompletionRecord = result;
  await store.put("completion.json", JSON.stringify(record, null, 2));
  io.err(`mlops-bot job: ${result.outcome} (exit ${String(result.exitCode)}); results in ${params.run}\n`);
  return 0;
}

/** DVC wants a git repository: the tarball has none, so make one with a single commit (no hooks, no templates). */
async function makeRepository(root: string): Promise<void> {
  const git = (...args: string[]) => exec("git", [...hardenedGitArgs(), "-c", "user.name=mlops-bot", "-c", "user.email=mlops-bot@localhost", ...args], { cwd: root });
  await git("init", "-q", "--template=");
  await git("add", "-A");
  await git("commit", "-q", "-m", "job source", "--allow-empty", "--no-verify");
}
