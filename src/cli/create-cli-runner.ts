import { LocalProcessRunner } from "../adapters/runners/local-process-runner.js";
import { BubblewrapSandbox } from "../adapters/runners/sandbox/bubblewrap-sandbox.js";
import { NoSandbox } from "../adapters/runners/sandbox/no-sandbox.js";
import { probeBubblewrap } from "../adapters/runners/sandbox/probe-bubblewrap.js";
import { knownSecretValues } from "../adapters/secrets/secret-values.js";
import { loadServerConfig } from "../config/server-config.js";
import { BotError } from "../core/errors.js";
import type { JobRunner } from "../ports/job-runner.js";

/**
 * The CLI's runner: your own code on your own machine runs as a plain process with your
 * environment's allowed part and your HOME; `--sandbox` runs it in exactly the bot's bubblewrap
 * sandbox (as MLOPS_SANDBOX_UID when run as root), or says why it cannot. Either way, the secret
 * values of your environment are redacted from the log and the report.
 */
export function createCliRunner(params: { sandbox: boolean; env: NodeJS.ProcessEnv; jobPath: string; protect: readonly string[] }): { runner: JobRunner } | { error: string } {
  knownSecretValues.addFromEnv(params.env); // your secrets stay out of the printed log and report too
  if (!params.sandbox) return { runner: new LocalProcessRunner({ sandbox: new NoSandbox() }) };
  let sandboxUid: number;
  try {
    sandboxUid = loadServerConfig({ MLOPS_SANDBOX_UID: params.env.MLOPS_SANDBOX_UID }).sandboxUid;
  } catch (e) {
    return { error: e instanceof BotError ? e.message : String(e) };
  }
  const hostUser = process.getuid?.() === 0 ? { uid: sandboxUid, gid: sandboxUid } : undefined;
  const probe = probeBubblewrap(hostUser);
  if (!probe.ok) return { error: probe.message.replace(/ On a trusted single-user machine.*$/, " Or run without --sandbox.") };
  return { runner: new LocalProcessRunner({ sandbox: new BubblewrapSandbox({ bwrap: probe.bwrap, jobPath: params.jobPath, hostUser, protect: params.protect }) }) };
}
