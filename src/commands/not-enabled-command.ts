import type { CommandName } from "../core/slash-commands/command-specs.js";
import type { SlashCommandRunner } from "./slash-command-runner.js";

/** A known command this installation cannot run (not built in, or its engine is missing): it says so instead of staying silent. */
export function notEnabledCommand(name: CommandName): SlashCommandRunner {
  return {
    name,
    run: () =>
      Promise.resolve({
        reply: `\`/${name}\` is not enabled on this installation, so nothing was run. Comment \`/help\` for the commands that are.`,
      }),
  };
}
