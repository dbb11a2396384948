import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { extractTarball } from "../../adapters/files/extract-tarball.js";
import { LocalProcessRunner } from "../../adapters/runners/local-process-runner.js";
import type { CompletionRecord } from "../../adapters/runners/cloud-run-records.js";
import { NoSandbox } from "../../adapters/runners/sandbox/no-sandbox.js";
import { hardenedGitArgs } from "../../adapters/source/run-git.js";
import { knownSecretValues } from "../../adapters/secrets/secret-values.js";
import { createArtifactStore } from "../../adapters/stores/create-artifact-store.js";
import { FILE_OUTPUT_LIMITS } from "../../core/output-limits.js";
import { collectOutputs } from "../../jobs/collect-outputs.js";
import type { ArtifactStore } from "../../ports/artifact-store.js";
import type { CliIo } from "../cli-command.js";
import type { JobInput } from "../commands/job.js";
import { LogPieceUploader } from "./log-piece-uploader.js";
import { useRemoteDvcCache } from "./use-remote-dvc-cache.js";

const exec = promisify(execFile);
const GiB = 1024 * 1024 * 1024;
/** The source tarball is the repository at one commit: large files are normal, links are not taken. */
const SOURCE_LIMITS = { perFileBytes: 1 * GiB, totalBytes: 2 * GiB };

/** Fetches the run's source, runs its command, and uploads log (in pieces, as it runs), results and the completion record. */
export async function runJob(input: JobInput, io: CliIo): Promise<number> {
  // The task's own secrets (a token the job was given) are redacted from its log like the bot's are from every log.
  knownSecretValues.addFromEnv(io.env);
  const store = await createArtifactStore(input.run, { gcsEndpoint: io.env.MLOPS_GCS_ENDPOINT }, "--run");
  const tarball = await store.get("source.tar.gz");
  if (!tarball) {
    io.err(`mlops-bot job: ${input.run}/source.tar.gz does not exist.\n`);
    return 1;
  }
  const work = await mkdtemp(path.join(io.env.MLOPS_JOB_ROOT ?? tmpdir(), "mlops-job-"));
  try {
    return await runInWork({ io, store, tarball, work, input });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runInWork(params: { io: CliIo; store: ArtifactStore; tarball: Buffer; work: string; input: JobInput }): Promise<number> {
  const { io, store, work, input } = params;
  const root = path.join(work, "src");
  const notes: string[] = [];
  await mkdir(root);
  const extracted = await extractTarball(params.tarball, root, SOURCE_LIMITS);
  notes.push(...extracted.notes.map((n) => `source: ${n}`));
  await makeRepository(root);

  io.err(`mlops-bot job: running ${input.argv.join(" ")} in ${input.workdir}\n`);
  const env: Record<string, string> = { PATH: io.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", HOME: io.env.HOME ?? work };
  for (const name of input.envNames) if (io.env[name] !== undefined) env[name] = io.env[name];
  const log = new LogPieceUploader({ store, onError: (message) => io.err(`mlops-bot job: ${message}\n`) });
  const cache = input.dvcBase
    ? await useRemoteDvcCache({ root, workdir: input.workdir, work, argv: input.argv, cache: { base: input.dvcBase, own: input.dvcOwn }, env, store, gcsEndpoint: io.env.MLOPS_GCS_ENDPOINT, notes })
    : undefined;
  const result = await new LocalProcessRunner({ sandbox: new NoSandbox() }).run({
    argv: cache?.argv ?? input.argv,
    source: { root, workdir: input.workdir },
    env,
    timeoutMs: input.timeout * 1000,
    logLimitBytes: input.logLimit,
    log: log.writable(),
    onOutput: (text) => io.err(text),
    signal: new AbortController().signal,
  });
  if (cache && result.outcome === "succeeded") await cache.push((text) => log.write(Buffer.from(text)));
  const collected = await collectOutputs({ root: path.join(root, input.workdir), entries: input.collect, limits: FILE_OUTPUT_LIMITS });
  for (const [rel, data] of collected.files) await store.put(`files/${rel}`, data);
  notes.push(...collected.notes.map((n) => `outputs: ${n}`));
  const noteText = notes.length ? `\n[mlops-bot job]\n${notes.map((n) => `- ${n}`).join("\n")}\n` : "";
  if (noteText) io.err(noteText);
  await log.write(Buffer.from(knownSecretValues.redact(noteText)));
  const record: CompletionRecord = { ...result, logPieces: await log.close() };
  await store.put("completion.json", JSON.stringify(record, null, 2));
  io.err(`mlops-bot job: ${result.outcome} (exit ${String(result.exitCode)}); results in ${input.run}\n`);
  return 0;
}

/** DVC wants a git repository: the tarball has none, so make one with a single commit (no hooks, no templates). */
async function makeRepository(root: string): Promise<void> {
  const git = (...args: string[]) => exec("git", [...hardenedGitArgs(), "-c", "user.name=mlops-bot", "-c", "user.email=mlops-bot@localhost", ...args], { cwd: root });
  await git("init", "-q", "--template=");
  await git("add", "-A");
  await git("commit", "-q", "-m", "job source", "--allow-empty", "--no-verify");
}
