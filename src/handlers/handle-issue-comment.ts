import type { Context } from "probot";
import { GitHubCodeHost } from "../adapters/github/github-code-host.js";
import type { CommandRegistry } from "../commands/command-registry.js";
import { runSlashCommands } from "../commands/run-slash-commands.js";
import { commandSpecs } from "../core/slash-commands/command-specs.js";
import { mayHoldCommands, type ParsedComment } from "../core/slash-commands/parse-slash-commands.js";
import type { FileParser } from "../ports/file-parser.js";
import type { JobStore } from "../ports/job-store.js";
import type { SourceProvider } from "../ports/source-provider.js";

/** `issue_comment.created` by a person: on a pull request every command, on an issue those that run there (`/doctor`); parse, then hand off. */
export function handleIssueComment(deps: { store: JobStore; sources: Pick<SourceProvider, "readDefaultBranchFile">; parser: FileParser; registry: CommandRegistry; appLogin: () => Promise<string>; jobPageUrl?: ((jobId: string) => string) | undefined }) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const { comment, issue, repository, installation } = context.payload;
    if (comment.user?.type === "Bot" || !installation) return;
    const all = await readCommands(deps.parser, comment.body ?? "");
    // On an issue, only the commands that mean something there; the rest stay silent, as before.
    const parsed = issue.pull_request ? all : { commands: all.commands.filter((c) => commandSpecs[c.name].onIssues), errors: [] };
    if (parsed.commands.length === 0 && parsed.errors.length === 0) return;
    const log = context.log.child({ delivery: context.id, repo: repository.full_name, pr: issue.number, comment: comment.id });
    const host = new GitHubCodeHost(context.octokit, repository.owner.login, repository.name, deps.appLogin, deps.jobPageUrl, repository.clone_url);
    await runSlashCommands({
      host,
      configSource: { host, sources: deps.sources, defaultBranch: repository.default_branch },
      store: deps.store,
      parse: deps.parser.parse,
      registry: deps.registry,
      installationId: installation.id,
      pr: issue.number,
      comment: { id: comment.id, author: comment.user?.login ?? "ghost", createdAt: writtenAt(comment.created_at) },
      parsed,
      log,
    });
  };
}

/**
 * The comment's commands, read in the parse workers like every text from outside (its byte cap
 * and deadline), never on the bot's thread. A comment that cannot be read within the limits
 * runs nothing and says why.
 */
async function readCommands(parser: FileParser, body: string): Promise<ParsedComment> {
  if (!mayHoldCommands(body)) return { commands: [], errors: [] };
  const outcome = await parser.parse({ kind: "comment", file: "this comment", text: body });
  if (outcome.ok) return outcome.value;
  const why = outcome.error.map((p) => p.message).join("; ");
  return { commands: [], errors: [{ index: 0, line: 1, raw: "", message: `I could not read this comment within my limits (${why}), so I ran none of its commands` }] };
}

/** When the comment was written; a missing or unreadable time counts as now (the latest it can be). */
function writtenAt(text: string | undefined): Date {
  const at = text ? new Date(text) : new Date(Number.NaN);
  return Number.isNaN(at.getTime()) ? new Date() : at;
}
