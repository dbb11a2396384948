import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CliIo } from "./cli-command.js";

const packageJson = fileURLToPath(new URL("../../package.json", import.meta.url));

/** The version in the package's package.json (the same file from src/cli and dist/cli). */
export function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(packageJson, "utf8")) as { version?: string }).version ?? "(unknown version)";
  } catch {
    return "(unknown version)";
  }
}

/**
 * The folder the user typed the command in. `npm run cli` runs in the mlops-bot checkout
 * whatever the folder, and says the caller's in INIT_CWD: only for that script of this package
 * is INIT_CWD taken (in a user's own npm script, the script's folder is the right one).
 */
export function callerCwd(params: { cwd: string; env: NodeJS.ProcessEnv; packageJson?: string }): string {
  const { env } = params;
  const own = path.resolve(params.packageJson ?? packageJson);
  const fromOurScript = env.npm_lifecycle_event === "cli" && env.npm_package_json !== undefined && path.resolve(env.npm_package_json) === own;
  return fromOurScript && env.INIT_CWD ? env.INIT_CWD : params.cwd;
}

/** Colour and in-place progress lines only on a terminal, and never with NO_COLOR (any non-empty value) or TERM=dumb. */
export function isStyled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
}

/**
 * The process's streams and signals as a `CliIo`. Ctrl-C (or SIGTERM) ends the process at once
 * (130, or 143 for SIGTERM) unless the running command took the interrupts (`takeInterrupts`):
 * then the first signal aborts `io.signal` and the command cleans up and returns; a second one
 * ends the process at once whatever is running.
 */
export function processIo(proc: NodeJS.Process = process): { io: CliIo; dispose: () => void } {
  const controller = new AbortController();
  let watched = false;
  const onSignal = (name: NodeJS.Signals) => {
    const code = name === "SIGTERM" ? 143 : 130;
    if (controller.signal.aborted || !watched) proc.exit(code);
    controller.abort(name);
  };
  proc.on("SIGINT", onSignal);
  proc.on("SIGTERM", onSignal);
  const io: CliIo = {
    cwd: callerCwd({ cwd: proc.cwd(), env: proc.env }),
    env: proc.env,
    out: (text) => proc.stdout.write(text),
    err: (text) => proc.stderr.write(text),
    signal: controller.signal,
    takeInterrupts: () => {
      watched = true;
    },
    styled: { out: isStyled(proc.stdout, proc.env), err: isStyled(proc.stderr, proc.env) },
  };
  return {
    io,
    dispose: () => {
      proc.removeListener("SIGINT", onSignal);
      proc.removeListener("SIGTERM", onSignal);
    },
  };
}
