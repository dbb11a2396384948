import type { RepoConfig } from "../config/repo-config-schema.js";
import type { CommandName } from "../core/slash-commands/command-specs.js";
import type { SlashCommand } from "../core/slash-commands/parse-slash-commands.js";
import type { CodeHost, PullRequest } from "../ports/code-host.js";
import type { ParseFile } from "../core/limits/parse-repository-file.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";

export interface CommandContext {
  readonly host: CodeHost;
  readonly store: JobStore;
  /** Parses repository files off the bot's thread (the parse workers). */
  readonly parse: ParseFile;
  readonly config: RepoConfig;
  readonly installationId: number;
  readonly pr: number;
  /** The comment: `createdAt` is when its author wrote it (GitHub's time), for what they could have seen. */
  readonly comment: { readonly id: number; readonly author: string; readonly createdAt: Date };
  readonly log: Logger;
  /** Names of the commands that do something on this installation (for /help). */
  readonly enabled: ReadonlySet<CommandName>;
  /** The pull request, read once per comment (on first use) and shared by all its commands. */
  pullRequest(): Promise<PullRequest>;
}

export interface CommandOutcome {
  /** Markdown for the one reply the bot posts to the comment; omitted when the command says nothing. */
  readonly reply?: string;
}

/** What must hold before a command runs; checked once, before dispatch (`checkPreconditions`). */
export interface CommandRequirements {
  /** The pull request must be open; the reply when it is closed. */
  readonly openPullRequest?: string;
  /** The fork policy must let the PR's head run (`checkForkPolicy`). */
  readonly forkPolicy?: boolean;
}

/** One slash command's behaviour. Authorization and `requires` are checked before `run` is called. */
export interface SlashCommandRunner {
  readonly name: CommandName;
  readonly requires?: CommandRequirements;
  run(command: SlashCommand, ctx: CommandContext): Promise<CommandOutcome>;
}
