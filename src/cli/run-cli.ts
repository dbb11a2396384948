import type { CliCommand, CliIo } from "./cli-command.js";

/** Dispatches `argv` (without node and script) to a sub-command; unknown names list the valid ones. */
export async function runCli(params: { argv: readonly string[]; io: CliIo; commands: readonly CliCommand[] }): Promise<number> {
  const { argv, io, commands } = params;
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(renderUsage(commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`mlops-bot: unknown command "${name}". Valid commands: ${commands.map((c) => c.name).join(", ")}.\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest, io);
}

function renderUsage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    "Usage: mlops-bot <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `mlops-bot <command> --help` for a command's options.",
    "",
  ].join("\n");
}
