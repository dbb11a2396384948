import type { SlashCommand } from "../core/slash-commands/parse-slash-commands.js";
import { queueDataCheck } from "../flows/data-check/queue-data-check.js";
import type { CommandContext, CommandOutcome, SlashCommandRunner } from "./slash-command-runner.js";

/**
 * `/diff`: queues the data check of the PR's current head against its base (check run
 * `mlops-bot/data`), whatever `data.on_pull_request` says. Fork PRs too: the check only reads
 * files, and never the fork's `.dvc/config`. The 👀 is the answer; 🚀 or 😕 follows at the end.
 */
export function createDiffCommand(deps: { wake: () => void }): SlashCommandRunner {
  return {
    name: "diff",
    requires: { openPullRequest: "This pull request is closed, so its data was not compared." },
    run: async (command: SlashCommand, ctx: CommandContext): Promise<CommandOutcome> => {
      const pr = await ctx.pullRequest();
      await queueDataCheck({
        host: ctx.host,
        store: ctx.store,
        installationId: ctx.installationId,
        pr,
        key: `comment:${ctx.comment.id}:${command.index}`,
        requestedBy: ctx.comment.author,
        commentId: ctx.comment.id,
        input: { trigger: `\`/diff\` from @${ctx.comment.author}` },
        log: ctx.log,
        wake: deps.wake,
      });
      return {};
    },
  };
}
