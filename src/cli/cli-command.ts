/**
 * One `mlops-bot <name>` sub-command. `run` gets the arguments after the name and returns the
 * process exit code; it prints to the given streams (tests capture them) and never calls
 * `process.exit` itself. Build one with `defineCommand`: its file stays light (name, usage,
 * options) and the work is loaded only when the command runs.
 */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /**
   * Aborted on Ctrl-C (SIGINT) or SIGTERM (the reason is the signal's name). A command whose spec
   * says `cleansUpOnInterrupt` stops what it started, cleans up and returns
   * `interruptedExitCode`; any other command is ended at once. Absent in tests that do not interrupt.
   */
  readonly signal?: AbortSignal | undefined;
  /** Called before a `cleansUpOnInterrupt` command runs: a signal now aborts `signal` instead of ending the process. */
  takeInterrupts?(): void;
  /** Which stream is a terminal that may show colour and progress lines (a TTY, no NO_COLOR, not TERM=dumb). */
  readonly styled?: { readonly out: boolean; readonly err: boolean } | undefined;
}

/** Exit codes of every command: 0 done and good, 1 done and not good (or failed), 2 usage. */
export const EXIT_USAGE = 2;

/** 128 + the signal's number, as shells report it: 130 for Ctrl-C (SIGINT), 143 for SIGTERM. */
export function interruptedExitCode(signal: AbortSignal | undefined): number {
  return signal?.reason === "SIGTERM" ? 143 : 130;
}
