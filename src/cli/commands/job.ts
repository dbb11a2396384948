import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { LocalProcessRunner } from "../../adapters/runners/local-process-runner.js";
import { NoSandbox } from "../../adapters/runners/sandbox/no-sandbox.js";
import type { CompletionRecord } from "../../adapters/runners/cloud-run-job-runner.js";
import { createArtifactStore } from "../../adapters/stores/create-artifact-store.js";
import type { CliCommand } from "../cli-command.js";

const exec = promisify(execFile);

const usage = `Usage: mlops-bot job --run URL --workdir DIR [--timeout SECONDS] [--collect PATH ...] -- COMMAND [ARG ...]

The entry point of the training image on Cloud Run (and anywhere a job runs away from the bot):
downloads the run's source tarball from URL/source.tar.gz, runs COMMAND (argv, no shell) in DIR,
and uploads URL/log.txt, the collected paths under URL/files/, and URL/completion.json.
URL is gs://bucket/prefix/runs/<id> (or file:///path for local use).
Exit code 0 once the completion record is written (the record says how the pipeline ended).`;

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
        options: { run: { type: "string" }, workdir: { type: "string", default: "." }, timeout: { type: "string", default: "1800" }, collect: { type: "string", multiple: true, default: [] } },
      });
    } catch (e) {
      io.err(`mlops-bot job: ${(e as Error).message}\n\n${usage}\n`);
      return 2;
    }
    const argv = dash >= 0 ? args.slice(dash + 1) : [];
    const timeout = Number(parsed.values.timeout);
    if (!parsed.values.run || argv.length === 0 || !Number.isFinite(timeout) || timeout <= 0) {
      io.err(`mlops-bot job: --run, a positive --timeout and a command after -- are required.\n\n${usage}\n`);
      return 2;
    }
    const store = await createArtifactStore(parsed.values.run, { gcsEndpoint: io.env.MLOPS_GCS_ENDPOINT }, "--run");
    const tarball = await store.get("source.tar.gz");
    if (!tarball) {
      io.err(`mlops-bot job: ${parsed.values.run}/source.tar.gz does not exist.\n`);
      return 1;
    }
    const root = await mkdtemp(path.join(io.env.MLOPS_JOB_ROOT ?? tmpdir(), "mlops-job-"));
    await writeFile(path.join(root, "..", `${path.basename(root)}.tar.gz`), tarball);
    await exec("tar", ["-xzf", path.join(root, "..", `${path.basename(root)}.tar.gz`), "-C", root]);
    // DVC wants a git repository: the tarball has none, so make one with a single commit.
    await exec("git", ["init", "-q"], { cwd: root });
    await exec("git", ["-c", "user.name=mlops-bot", "-c", "user.email=mlops-bot@localhost", "add", "-A"], { cwd: root });
    await exec("git", ["-c", "user.name=mlops-bot", "-c", "user.email=mlops-bot@localhost", "commit", "-q", "-m", "job source", "--allow-empty"], { cwd: root });

    const logFile = path.join(root, "..", `${path.basename(root)}.log`);
    io.err(`mlops-bot job: running ${argv.join(" ")} in ${parsed.values.workdir}\n`);
    const env = Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined));
    const result = await new LocalProcessRunner({ sandbox: new NoSandbox() }).run({
      argv,
      source: { root, workdir: parsed.values.workdir },
      env,
      timeoutMs: timeout * 1000,
      logLimitBytes: 20 * 1024 * 1024,
      log: createWriteStream(logFile),
      onOutput: (text) => io.err(text),
      signal: new AbortController().signal,
    });
    await store.put("log.txt", await readFile(logFile));
    for (const entry of parsed.values.collect) {
      const workdir = path.join(root, parsed.values.workdir);
      for (const file of await filesUnder(workdir, entry)) await store.put(`files/${file}`, await readFile(path.join(workdir, file)));
    }
    const record: CompletionRecord = result;
    await store.put("completion.json", JSON.stringify(record, null, 2));
    io.err(`mlops-bot job: ${result.outcome} (exit ${String(result.exitCode)}); results in ${parsed.values.run}\n`);
    return 0;
  },
};

/** Files at `entry` (a file, or a folder ending in `/`) under `workdir`, relative to it. */
async function filesUnder(workdir: string, entry: string): Promise<string[]> {
  const full = path.join(workdir, entry);
  const info = await stat(full).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) return [path.relative(workdir, full).split(path.sep).join("/")];
  const out: string[] = [];
  for (const item of await readdir(full, { recursive: true, withFileTypes: true })) {
    if (item.isFile()) out.push(path.relative(workdir, path.join(item.parentPath, item.name)).split(path.sep).join("/"));
  }
  await mkdir(workdir, { recursive: true });
  return out.sort();
}
