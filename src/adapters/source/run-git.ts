import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const MAX_BUFFER = 1 << 30;

let hooksDir: string | undefined;

/**
 * An empty folder that `core.hooksPath` points at, so no repository hook can ever run: made once
 * per process with an unguessable name and no write permission (nobody can put a hook in it),
 * removed when the process exits.
 */
export function noHooksDir(): string {
  if (!hooksDir) {
    const dir = mkdtempSync(path.join(tmpdir(), "mlops-bot-no-hooks-"));
    chmodSync(dir, 0o555);
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    hooksDir = dir;
  }
  return hooksDir;
}

/**
 * Settings on every git call the bot makes: no hook runs (hooks of a mirror or of a checkout a
 * job could have written), no fsmonitor command, no `ext::` transport, submodules never followed,
 * no credential helper or askpass prompt.
 */
export function hardenedGitArgs(): string[] {
  return [
    "-c", `core.hooksPath=${noHooksDir()}`,
    "-c", "core.fsmonitor=false",
    "-c", "protocol.ext.allow=never",
    "-c", "protocol.file.allow=user",
    "-c", "submodule.recurse=false",
    "-c", "fetch.recurseSubmodules=false",
    "-c", "credential.helper=",
    "-c", "core.askPass=",
    // A remote that stops sending (a hung connection) ends the transfer after a minute under 1 KB/s.
    "-c", "http.lowSpeedLimit=1000",
    "-c", "http.lowSpeedTime=60",
  ];
}

/** git's environment: the tools' PATH and HOME, never the bot's secrets, never a prompt; plus `extra` (a token header). */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? tmpdir(),
    GIT_TERMINAL_PROMPT: "0",
    ...extra,
  };
}

/**
 * Runs git (argv, no shell) in `cwd` with the hardening settings and a minimal environment;
 * resolves with stdout, rejects with git's own message. `input` goes to stdin. With `timeoutMs`,
 * git is killed when it has not finished by then (a remote that never answers).
 */
export function runGit(cwd: string, args: readonly string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      [...hardenedGitArgs(), ...args],
      { cwd, encoding: "buffer", maxBuffer: MAX_BUFFER, env: gitEnv(options.env), timeout: options.timeoutMs ?? 0, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        if (error && error.killed && options.timeoutMs) reject(new Error(`git ${args[0]} did not finish within ${options.timeoutMs / 1000} s (the remote did not answer); it was stopped`, { cause: error }));
        else if (error) reject(new Error(`git ${args[0]} failed: ${stderr.toString("utf8").trim() || error.message}`, { cause: error }));
        else resolve(stdout);
      },
    );
    // git may exit before reading all of stdin (on a bad object): the exit code tells, not EPIPE.
    child.stdin?.on("error", () => undefined);
    if (options.input === undefined) child.stdin?.end();
    else child.stdin?.end(options.input);
  });
}
