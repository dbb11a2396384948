import { readFile } from "node:fs/promises";
import path from "node:path";
import { computeBacklogProgress } from "../../core/backlog/compute-backlog-progress.js";
import { parseBacklog } from "../../core/backlog/parse-backlog.js";
import { renderBacklogProgress } from "../../report/backlog/render-backlog-progress.js";
import { renderBacklogProgressJson } from "../../report/backlog/render-backlog-progress-json.js";
import { renderBacklogProgressText } from "../../report/backlog/render-backlog-progress-text.js";
import type { CliIo } from "../cli-command.js";
import type { BacklogInput } from "../commands/backlog.js";

/** The progress of the backlog in `input.file`, as text, the bot's markdown comment, or JSON. */
export async function runBacklog(input: BacklogInput, io: CliIo): Promise<number> {
  let body: string;
  try {
    body = await readFile(path.resolve(io.cwd, input.file), "utf8");
  } catch (error) {
    io.err(`mlops-bot backlog: cannot read ${JSON.stringify(input.file)}: ${describeReadError(error)}\n`);
    return 1;
  }
  const backlog = parseBacklog(body);
  const progress = computeBacklogProgress(backlog);
  if (input.format === "json") io.out(renderBacklogProgressJson({ source: input.file, backlog, progress }));
  else if (input.format === "markdown") io.out(`${renderBacklogProgress(input.issue === undefined ? { progress } : { progress, issueNumber: input.issue })}\n`);
  else io.out(renderBacklogProgressText({ progress, source: input.file }));
  return 0;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory, not a file";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
