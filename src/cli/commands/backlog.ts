import { readFile } from "node:fs/promises";
import path from "node:path";
import { computeBacklogProgress } from "../../core/backlog/compute-backlog-progress.js";
import { parseBacklog } from "../../core/backlog/parse-backlog.js";
import { renderBacklogProgress } from "../../report/backlog/render-backlog-progress.js";
import { renderBacklogProgressJson } from "../../report/backlog/render-backlog-progress-json.js";
import { renderBacklogProgressText } from "../../report/backlog/render-backlog-progress-text.js";
import type { CliCommand } from "../cli-command.js";

const USAGE = `Usage: mlops-bot backlog FILE [--markdown | --json] [--issue N]

Reads a backlog issue body saved as a markdown file (checklist items grouped in phases, see
src/core/backlog/README.md) and prints its progress: done, skipped and open items per phase and
overall, and the phases whose status emoji disagrees with their items.

Options:
  --markdown   print the sticky progress comment the bot keeps on the issue.
  --json       print the phases, counts, notes and items as JSON.
  --issue N    the issue's number, for the "Completes #N 2.6" hint in --markdown.
Default: a plain-text table for the terminal.`;

interface Options {
  file: string;
  format: "text" | "markdown" | "json";
  issue: number | undefined;
}

/** `mlops-bot backlog FILE`: the backlog progress of a markdown file. */
export const backlogCommand: CliCommand = {
  name: "backlog",
  summary: "Show the progress of a backlog checklist (markdown file): per phase and overall",
  usage: USAGE,
  async run(args, io) {
    const options = parseArgs(args);
    if (typeof options === "string") {
      io.err(`mlops-bot backlog: ${options}\n\n${USAGE}\n`);
      return 2;
    }
    let body: string;
    try {
      body = await readFile(path.resolve(io.cwd, options.file), "utf8");
    } catch (error) {
      io.err(`mlops-bot backlog: cannot read ${JSON.stringify(options.file)}: ${describeReadError(error)}\n`);
      return 1;
    }
    const backlog = parseBacklog(body);
    const progress = computeBacklogProgress(backlog);
    if (options.format === "json") io.out(renderBacklogProgressJson({ source: options.file, backlog, progress }));
    else if (options.format === "markdown") io.out(`${renderBacklogProgress(options.issue === undefined ? { progress } : { progress, issueNumber: options.issue })}\n`);
    else io.out(renderBacklogProgressText({ progress, source: options.file }));
    return 0;
  },
};

function parseArgs(args: readonly string[]): Options | string {
  const files: string[] = [];
  const formats = new Set<Options["format"]>();
  let issue: number | undefined;
  for (let k = 0; k < args.length; k++) {
    const arg = args[k] ?? "";
    if (arg === "--markdown") formats.add("markdown");
    else if (arg === "--json") formats.add("json");
    else if (arg === "--issue" || arg.startsWith("--issue=")) {
      const value = arg === "--issue" ? args[++k] : arg.slice("--issue=".length);
      if (value === undefined || !/^[1-9]\d*$/.test(value)) return `--issue needs an issue number, got ${value === undefined ? "nothing" : JSON.stringify(value)}`;
      issue = Number(value);
    } else if (arg === "--") {
      files.push(...args.slice(k + 1));
      break;
    } else if (arg.startsWith("-")) return `unknown option ${JSON.stringify(arg)}`;
    else files.push(arg);
  }
  if (files.length === 0) return "missing FILE: the markdown file to read";
  if (files.length > 1) return `one FILE at a time, got ${files.length}: ${files.join(", ")}`;
  if (formats.size > 1) return "choose one of --markdown and --json";
  const [file] = files;
  const [format] = formats;
  return { file: file ?? "", format: format ?? "text", issue };
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory, not a file";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
