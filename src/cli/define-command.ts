import type { Result } from "../core/result.js";
import { EXIT_USAGE, type CliCommand, type CliIo } from "./cli-command.js";
import { parseCliArgs, type ArgsSpec, type ParseArgsOptionsConfig, type ParsedArgs } from "./parse-cli-args.js";

export interface CommandSpec<O extends ParseArgsOptionsConfig, I> extends ArgsSpec<O> {
  readonly name: string;
  readonly summary: string;
  /** The `--help` text; its first line is the synopsis shown with usage errors. */
  readonly usage: string;
  /**
   * Parsed arguments -> the command's input, or what is wrong with them (printed with the usage
   * line, exit code 2). Pure and light: nothing is loaded yet.
   */
  check(parsed: ParsedArgs<O>): Result<I, string>;
  /** It stops what it started and cleans up when `io.signal` aborts (Ctrl-C); other commands are simply ended. */
  readonly cleansUpOnInterrupt?: boolean;
  /** The command's work, imported only when it runs (so `--help` and the other commands stay fast). */
  load(): Promise<(input: I, io: CliIo) => Promise<number>>;
}

/** The message of a usage error: what is wrong, the synopsis, where the options are explained. */
export function renderUsageError(spec: Pick<CommandSpec<ParseArgsOptionsConfig, unknown>, "name" | "usage">, message: string): string {
  const synopsis = spec.usage.split("\n")[0] ?? "";
  return `mlops-bot ${spec.name}: ${message}\n\n${synopsis}\nRun \`mlops-bot ${spec.name} --help\` for the options.\n`;
}

/** A `CliCommand` from a spec: one parser, one error style, usage on stderr with exit code 2, `--help` on stdout. */
export function defineCommand<const O extends ParseArgsOptionsConfig, I>(spec: CommandSpec<O, I>): CliCommand {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(args, io) {
      const parsed = parseCliArgs(args, spec);
      if (!parsed.ok) {
        io.err(renderUsageError(spec, parsed.error));
        return EXIT_USAGE;
      }
      if (parsed.value.help) {
        io.out(`${spec.usage}\n`);
        return 0;
      }
      const input = spec.check(parsed.value);
      if (!input.ok) {
        io.err(renderUsageError(spec, input.error));
        return EXIT_USAGE;
      }
      if (spec.cleansUpOnInterrupt) io.takeInterrupts?.();
      const work = await spec.load();
      return work(input.value, io);
    },
  };
}
