import type { RepoConfig } from "../../config/repo-config-schema.js";
import { commandNames, commandSpecs } from "../../core/slash-commands/command-specs.js";

/** The `/help` table: every command, what it does, and the permission it needs here. */
export function renderHelp(params: { permissions: RepoConfig["permissions"]; enabled: ReadonlySet<string> }): string {
  const rows = commandNames.map((name) => {
    const spec = commandSpecs[name];
    const state = params.enabled.has(name) ? "" : " _(not enabled here)_";
    return `| \`${spec.usage}\` | ${spec.summary}${state} | ${params.permissions[name]} |`;
  });
  return [
    "**mlops-bot commands** — write them at the start of a line in a PR comment; several per comment are fine.",
    "",
    "| Command | What it does | Needs |",
    "| --- | --- | --- |",
    ...rows,
    "",
    "Overrides are `key=value` pairs on keys of the params file, e.g. `/train train.learning_rate=0.05`.",
  ].join("\n");
}
