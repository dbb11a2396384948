import { loadRepoConfig } from "../config/load-repo-config.js";
import { repoConfigSchema, type RepoConfig } from "../config/repo-config-schema.js";
import { ConfigError, PermissionError } from "../core/errors.js";
import { errorLogFields, renderError } from "../report/render-error.js";
import { hasPermission, type PermissionLevel } from "../core/permissions/permission-level.js";
import { commandSpecs } from "../core/slash-commands/command-specs.js";
import type { ParsedComment } from "../core/slash-commands/parse-slash-commands.js";
import { renderHelp } from "../report/replies/render-help.js";
import { renderReply } from "../report/replies/render-reply.js";
import type { CodeHost } from "../ports/code-host.js";
import type { ParseFile } from "../core/limits/parse-repository-file.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";
import type { CommandRegistry } from "./command-registry.js";
import { checkPreconditions } from "./check-preconditions.js";
import { recordHeadSeen } from "./head-sightings.js";
import type { CommandContext } from "./slash-command-runner.js";

export interface CommentRequest {
  readonly host: CodeHost;
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
 * Runs the commands of one comment: drops those already handled (redelivery), acknowledges with
 * 👀, reads the config from the default branch, checks each command's permission, runs it, and
 * answers everything in one reply. A command that throws is reported and may be retried by a
 * redelivery; the others still run.
 */
export async function runSlashCommands(req: CommentRequest): Promise<void> {
  const { host, store, registry, parsed, comment, log } = req;
  const keyOf = (index: number) => `comment:${comment.id}:${index}`;
  const fresh = async <T extends { index: number }>(items: readonly T[]) => {
    const out: T[] = [];
    for (const item of items) if (await store.markCommandSeen(keyOf(item.index))) out.push(item);
    return out;
  };
  const commands = await fresh(parsed.commands);
  const errors = await fresh(parsed.errors);
  if (commands.length === 0 && errors.length === 0) {
    log.info({ comment: comment.id }, "comment already handled (redelivery): nothing to do");
    return;
  }
  await host.react(comment.id, "eyes");

  const sections: Array<{ raw: string | undefined; message: string }> = [];
  const loaded = await loadRepoConfig(host);
  let config: RepoConfig;
  let runnable = commands;
  if (loaded.ok) config = loaded.value;
  else {
    const error = new ConfigError(loaded.error);
    log.warn(errorLogFields(error), "repository config is invalid");
    sections.push({ raw: undefined, message: renderError(error) });
    // A command that reports the config's problems itself (/doctor) still runs, with the default permissions.
    runnable = commands.filter((c) => commandSpecs[c.name].withBrokenConfig);
    if (!runnable.length) {
      await host.comment(req.pr, renderReply({ author: comment.author, sections }));
      return;
    }
    config = repoConfigSchema.parse({});
  }
  let pullRequest: ReturnType<CommandContext["pullRequest"]> | undefined;
  // Each read of the PR is a sighting of its head (for /ok-to-train: what a maintainer could have seen).
  const readPullRequest = async () => {
    const pr = await host.getPullRequest(req.pr);
    await recordHeadSeen(store, { owner: host.owner, repo: host.repo, pr: pr.number, sha: pr.headSha, at: new Date() });
    return pr;
  };
  const ctx: CommandContext = { ...req, config, enabled: registry.enabled, pullRequest: () => (pullRequest ??= readPullRequest()) };
  const help = renderHelp({ permissions: config.permissions, enabled: registry.enabled });

  let permission: PermissionLevel | undefined;
  for (const error of loaded.ok ? errors : []) {
    const usage = error.command ? ` Usage: \`${commandSpecs[error.command].usage}\`.` : "";
    sections.push({ raw: error.raw, message: `${error.message}.${usage}\n\n<details><summary>Commands</summary>\n\n${help}\n\n</details>` });
  }
  for (const command of runnable) {
    const required = config.permissions[command.name];
    if (required !== "read") {
      permission ??= await host.getPermission(comment.author);
      if (!hasPermission(permission, required)) {
        const refusal = new PermissionError({ user: comment.author, action: `\`/${command.name}\``, required, actual: permission });
        log.info(errorLogFields(refusal), "command refused: permission");
        sections.push({ raw: command.raw, message: renderError(refusal) });
        continue;
      }
    }
    try {
      const runner = registry.get(command.name);
      const refusal = await checkPreconditions(runner, ctx);
      if (refusal) {
        sections.push({ raw: command.raw, message: refusal });
        continue;
      }
      const outcome = await runner.run(command, ctx);
      if (outcome.reply) sections.push({ raw: command.raw, message: outcome.reply });
    } catch (e) {
      await store.forgetCommand(keyOf(command.index));
      log.error({ ...errorLogFields(e), command: command.name }, "command failed");
      sections.push({ raw: command.raw, message: renderError(e, { subject: `\`/${command.name}\``, retry: "Comment it again to retry." }) });
    }
  }
  if (sections.length > 0) await host.comment(req.pr, renderReply({ author: comment.author, sections }));
}
