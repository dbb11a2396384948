import { err, ok } from "../../core/result.js";
import { defineCommand } from "../define-command.js";

const USAGE = `Usage: mlops-bot backlog FILE [--markdown | --json] [--issue N]

Reads a backlog issue body saved as a markdown file (checklist items grouped in phases, see
src/core/backlog/README.md) and prints its progress: done, skipped and open items per phase and
overall, and the phases whose status emoji disagrees with their items.

Options:
  --markdown   print the sticky progress comment the bot keeps on the issue.
  --json       print the phases, counts, notes and items as JSON.
  --issue N    the issue's number, for the "Completes #N 2.6" hint in --markdown.
Default: a plain-text table for the terminal.`;

export interface BacklogInput {
  readonly file: string;
  readonly format: "text" | "markdown" | "json";
  readonly issue: number | undefined;
}

/** `mlops-bot backlog FILE`: the backlog progress of a markdown file. */
export const backlogCommand = defineCommand({
  name: "backlog",
  summary: "Show the progress of a backlog checklist (markdown file): per phase and overall",
  usage: USAGE,
  options: { markdown: { type: "boolean" }, json: { type: "boolean" }, issue: { type: "string" } },
  valueNames: { issue: "an issue number" },
  positionals: true,
  check({ values, positionals }) {
    if (values.issue !== undefined && !/^[1-9]\d*$/.test(values.issue)) return err(`--issue needs an issue number, got ${JSON.stringify(values.issue)}`);
    if (positionals.length === 0) return err("missing FILE: the markdown file to read");
    if (positionals.length > 1) return err(`one FILE at a time, got ${positionals.length}: ${positionals.join(", ")}`);
    if (values.json && values.markdown) return err("choose one of --markdown and --json");
    const format = values.json ? "json" : values.markdown ? "markdown" : "text";
    return ok<BacklogInput>({ file: positionals[0] ?? "", format, issue: values.issue === undefined ? undefined : Number(values.issue) });
  },
  load: async () => (await import("../backlog/run-backlog.js")).runBacklog,
});
