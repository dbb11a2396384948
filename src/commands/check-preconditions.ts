import { checkForkPolicy } from "./check-fork-policy.js";
import type { CommandContext, SlashCommandRunner } from "./slash-command-runner.js";

/**
 * What a command needs before it runs, checked in one place for every command (as Atlantis's
 * command runner does): the pull request, read once per comment, is open; the fork policy lets
 * its head run. Returns the refusal to reply, or undefined when the command may run.
 */
export async function checkPreconditions(runner: SlashCommandRunner, ctx: CommandContext): Promise<string | undefined> {
  const { requires } = runner;
  if (!requires?.openPullRequest && !requires?.forkPolicy) return undefined;
  const pr = await ctx.pullRequest();
  if (requires.openPullRequest && pr.state !== "open") return requires.openPullRequest;
  if (requires.forkPolicy) {
    return checkForkPolicy({ pr, config: ctx.config, store: ctx.store, owner: ctx.host.owner, repo: ctx.host.repo, command: runner.name });
  }
  return undefined;
}
