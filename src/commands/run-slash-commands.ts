import { loadRepoConfig, type RepoConfigSource } from "../config/load-repo-config.js";
import { repoConfigSchema, type RepoConfig } from "../config/repo-config-schema.js";
import { ConfigError, PermissionError } from "../core/errors.js";
import { errorLogFields, renderError } from "../report/render-error.js";
import { isTransientFailure } from "../core/is-transient-failure.js";
import { hasPermission, type PermissionLevel } from "../core/permissions/permission-level.js";
import { commandSpecs } from "../core/slash-commands/command-specs.js";
import type { ParsedComment, SlashCommand, SlashCommandError } from "../core/slash-commands/parse-slash-commands.js";
import { renderHelp } from "../report/replies/render-help.js";
import { renderReply } from "../report/replies/render-reply.js";
import type { CodeHost } from "../ports/code-host.js";
import type { ParseFile } from "../core/limits/parse-repository-file.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";
import type { CommandRegistry } from "./command-registry.js";
import { commandAnswers } from "./command-answers.js";
import { checkPreconditions } from "./check-preconditions.js";
import { recordHeadSeen } from "./head-sightings.js";
import type { CommandContext } from "./slash-command-runner.js";

export interface CommentRequest {
  readonly host: CodeHost;
  /** Where the default branch's config is read (the bot's mirror). */
  readonly configSource: RepoConfigSource;
  readonly store: JobStore;
  readonly parse: ParseFile;
  readonly registry: CommandRegistry;
  readonly installationId: number;
  readonly pr: number;
  /** The comment: `createdAt` is when its author wrote it (GitHub's time), for what they could have seen. */
  readonly comment: { readonly id: number; readonly author: string; readonly createdAt: Date };
  readonly parsed: ParsedComment;
  readonly log: Logger;
}

/**
 * Runs the commands of one comment: drops those already handled or being handled (a
 * redelivery), acknowledges with 👀, reads the config from the default branch, checks each
 * command's permission, runs it, and answers everything in one reply. A command counts as
 * handled only once that reply is stored (`commandAnswers`): if GitHub or the store fails before
 * (a transient failure), no command of the comment counts as handled and the delivery fails, so
 * a redelivery answers it. A command that throws for another reason (a bug) is reported and may
 * be retried; the others still run.
 */
export async function runSlashCommands(req: CommentRequest): Promise<void> {
  const { parsed, comment, log } = req;
  const answers = commandAnswers({ store: req.store, host: req.host, installationId: req.installationId, log });
  const keyOf = (index: number) => `comment:${comment.id}:${index}`;
  const fresh = async <T extends { index: number }>(items: readonly T[]) => {
    const out: T[] = [];
    for (const item of items) if (await answers.claim(keyOf(item.index))) out.push(item);
    return out;
  };
  const commands = await fresh(parsed.commands);
  const errors = await fresh(parsed.errors);
  if (commands.length === 0 && errors.length === 0) {
    log.info({ comment: comment.id }, "comment already handled (redelivery): nothing to do");
    return;
  }
  const claimed = [...commands, ...errors].map((c) => keyOf(c.index));
  let failedKeys: string[];
  try {
    await answers.complete([], [{ type: "react", commentId: comment.id, reaction: "eyes" }]);
    const { sections, failed } = await answerCommands(req, commands, errors);
    failedKeys = failed.map((c) => keyOf(c.index));
    const reply = sections.length > 0 ? [{ type: "comment" as const, issue: req.pr, body: renderReply({ author: comment.author, sections }) }] : [];
    if ((await answers.complete(claimed.filter((k) => !failedKeys.includes(k)), reply)) === "lost-claim") {
      // This delivery was slower than its claims: another delivery of the comment claimed the commands and answers them.
      log.warn({ comment: comment.id }, "lost the comment's command claims to another delivery (they lapsed): storing and sending nothing");
      return;
    }
  } catch (e) {
    log.warn({ err: e, comment: comment.id }, "the comment's commands could not be answered; a redelivery will run them");
    await answers.forget(claimed).catch((forgetting: unknown) => log.error({ err: forgetting }, "could not release the comment's commands"));
    throw e;
  }
  // Answered, and failed on the bot's side: a redelivery or the same comment again retries them.
  await answers.forget(failedKeys);
}

/**
 * The reply's sections for the claimed commands and usage errors, and the commands that failed on
 * the bot's side. Throws on a transient failure (GitHub or the store unreachable).
 */
async function answerCommands(
  req: CommentRequest,
  commands: readonly SlashCommand[],
  errors: readonly SlashCommandError[],
): Promise<{ sections: Array<{ raw: string | undefined; message: string }>; failed: SlashCommand[] }> {
  const { host, registry, comment, log } = req;
  const sections: Array<{ raw: string | undefined; message: string }> = [];
  const failed: SlashCommand[] = [];
  const loaded = await loadRepoConfig(req.configSource);
  let config: RepoConfig;
  let runnable = commands;
  if (loaded.ok) config = loaded.value;
  else {
    const error = new ConfigError(loaded.error);
    log.warn(errorLogFields(error), "repository config is invalid");
    sections.push({ raw: undefined, message: renderError(error) });
    // A command that reports the config's problems itself (/doctor) still runs, with the default permissions.
    runnable = commands.filter((c) => commandSpecs[c.name].withBrokenConfig);
    if (!runnable.length) return { sections, failed };
    config = repoConfigSchema.parse({});
  }
  let pullRequest: ReturnType<CommandContext["pullRequest"]> | undefined;
  // Each read of the PR is a sighting of its head (for /ok-to-train: what a maintainer could have seen).
  const readPullRequest = async () => {
    const pr = await host.getPullRequest(req.pr);
    await recordHeadSeen(req.store, { owner: host.owner, repo: host.repo, pr: pr.number, sha: pr.headSha, at: new Date() });
    return pr;
  };
  const ctx: CommandContext = { ...req, config, enabled: registry.enabled, pullRequest: () => (pullRequest ??= readPullRequest()) };
  const help = renderHelp({ permissions: config.permissions, enabled: registry.enabled });

  let permission: Promise<PermissionLevel> | undefined;
  for (const error of loaded.ok ? errors : []) {
    const usage = error.command ? ` Usage: \`${commandSpecs[error.command].usage}\`.` : "";
    sections.push({ raw: error.raw, message: `${error.message}.${usage}\n\n<details><summary>Commands</summary>\n\n${help}\n\n</details>` });
  }
  for (const command of runnable) {
    const outcome = await runCommand(command, registry, ctx, () => (permission ??= host.getPermission(comment.author)));
    if (outcome.failed) failed.push(command);
    if (outcome.reply) sections.push({ raw: command.raw, message: outcome.reply });
  }
  return { sections, failed };
}

/**
 * One command: its permission, its preconditions, then its run. Returns what the reply says about
 * it, and whether it failed on the bot's side (a bug: the reply says so); throws on a transient failure.
 */
async function runCommand(
  command: SlashCommand,
  registry: CommandRegistry,
  ctx: CommandContext,
  permissionOf: () => Promise<PermissionLevel>,
): Promise<{ reply?: string | undefined; failed?: boolean }> {
  const required = ctx.config.permissions[command.name];
  if (required !== "read") {
    const permission = await permissionOf();
    if (!hasPermission(permission, required)) {
      const refusal = new PermissionError({ user: ctx.comment.author, action: `\`/${command.name}\``, required, actual: permission });
      ctx.log.info(errorLogFields(refusal), "command refused: permission");
      return { reply: renderError(refusal) };
    }
  }
  try {
    const runner = registry.get(command.name);
    const refusal = await checkPreconditions(runner, ctx);
    if (refusal) return { reply: refusal };
    return { reply: (await runner.run(command, ctx)).reply };
  } catch (e) {
    if (isTransientFailure(e)) throw e;
    ctx.log.error({ ...errorLogFields(e), command: command.name }, "command failed");
    return { failed: true, reply: renderError(e, { subject: `\`/${command.name}\``, retry: "Comment it again to retry." }) };
  }
}
