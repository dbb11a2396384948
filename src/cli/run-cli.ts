import { EXIT_USAGE, type CliCommand, type CliIo } from "./cli-command.js";

/**
 * Dispatches `argv` (without node and script) to a sub-command. `--help`, `help` and `help
 * <command>` print to stdout (exit 0); no command, an unknown one or an unknown option prints
 * the usage to stderr (exit 2); `--version` prints the package's version.
 */
export async function runCli(params: { argv: readonly string[]; io: CliIo; commands: readonly CliCommand[]; version?: string }): Promise<number> {
  const { argv, io, commands } = params;
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(renderUsage(commands));
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h" || (name === "help" && rest.length === 0)) {
    io.out(renderUsage(commands));
    return 0;
  }
  if (name === "--version" || name === "-V") {
    io.out(`mlops-bot ${params.version ?? "(unknown version)"}\n`);
    return 0;
  }
  if (name === "help") return help(rest, io, commands);
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const what = name.startsWith("-") ? `unknown option ${JSON.stringify(name)}` : `unknown command ${JSON.stringify(name)}`;
    io.err(`mlops-bot: ${what}. Commands: ${commands.map((c) => c.name).join(", ")}.\nRun \`mlops-bot --help\` for what each does.\n`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}

function help(names: readonly string[], io: CliIo, commands: readonly CliCommand[]): number {
  const [name, ...extra] = names;
  const command = commands.find((c) => c.name === name);
  if (!command || extra.length) {
    const what = command ? `help takes one command, got ${names.length}` : `no command ${JSON.stringify(name)}`;
    io.err(`mlops-bot help: ${what}. Commands: ${commands.map((c) => c.name).join(", ")}.\n`);
    return EXIT_USAGE;
  }
  io.out(`${command.usage}\n`);
  return 0;
}

function renderUsage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    "Usage: mlops-bot <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `mlops-bot help <command>` or `mlops-bot <command> --help` for a command's options,",
    "`mlops-bot --version` for the version.",
    "",
  ].join("\n");
}
