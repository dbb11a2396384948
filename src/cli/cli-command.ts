/**
 * One `mlops-bot <name>` sub-command. `run` gets the arguments after the name and returns the
 * process exit code; it prints to the given streams (tests capture them) and never calls
 * `process.exit` itself.
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
}
