import { commandNames, type CommandName } from "../core/slash-commands/command-specs.js";
import { notEnabledCommand } from "./not-enabled-command.js";
import type { SlashCommandRunner } from "./slash-command-runner.js";

export interface CommandRegistry {
  get(name: CommandName): SlashCommandRunner;
  readonly enabled: ReadonlySet<CommandName>;
}

/** Maps each command name to its runner; names without one answer that they are not enabled. */
export function createCommandRegistry(runners: readonly SlashCommandRunner[]): CommandRegistry {
  const byName = new Map(runners.map((r) => [r.name, r]));
  return {
    enabled: new Set(commandNames.filter((n) => byName.has(n))),
    get: (name) => byName.get(name) ?? notEnabledCommand(name),
  };
}
