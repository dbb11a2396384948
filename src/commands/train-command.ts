import { checkOverrides } from "../core/overrides/check-overrides.js";
import { renderOverrides } from "../report/train/render-overrides.js";
import type { SlashCommand } from "../core/slash-commands/parse-slash-commands.js";
import { pullRequestJobFields, queueJob } from "../jobs/queue-job.js";
import { TRAIN_CHECK, trainGroup, trainInput } from "../core/jobs/train-job.js";
import type { CommandContext, CommandOutcome, SlashCommandRunner } from "./slash-command-runner.js";
import path from "node:path";
import type { RunnerRegistry } from "../jobs/runner-registry.js";
import { renderError } from "../report/render-error.js";

/**
 * `/train [key=value ...]`: checks the PR, the fork policy, that this bot has the configured runner and the overrides (against the params
 * files at the PR head), then queues the job, supersedes this PR's older training jobs, and
 * creates the queued check run. The webhook is answered; the worker does the rest.
 */
export function createTrainCommand(deps: { wake: () => void; runners: Pick<RunnerRegistry, "missing"> }): SlashCommandRunner {
  return {
    name: "train",
    requires: { openPullRequest: "This pull request is closed, so nothing was trained.", forkPolicy: true },
    run: async (command: SlashCommand, ctx: CommandContext): Promise<CommandOutcome> => {
      const { host, store, config } = ctx;
      const noRunner = deps.runners.missing(config.runner);
      if (noRunner) return { reply: renderError(noRunner, { nothingRan: "nothing was trained" }) };
      const pr = await ctx.pullRequest();

      // The params files at the PR head are hostile: they are parsed by the parse workers.
      const files =
        command.assignments.length === 0
          ? []
          : await Promise.all(
              config.pipeline.params.map(async (file) => {
                const repoPath = path.posix.join(config.pipeline.workdir, file);
                return { file: repoPath, text: await host.readFile(repoPath, pr.headSha) };
              }),
            );
      const overrides = await checkOverrides({ overrides: command.assignments, files, parse: ctx.parse, at: pr.headSha.slice(0, 7) });
      if (!overrides.ok) {
        const { headline, details } = overrides.error;
        return { reply: [headline, ...(details.length ? ["", ...details.map((d) => `- ${d}`)] : [])].join("\n") };
      }

      const repo = { owner: host.owner, name: host.repo, installationId: ctx.installationId };
      const list = renderOverrides(overrides.value);
      await queueJob({
        host,
        store,
        log: ctx.log,
        wake: deps.wake,
        job: {
          kind: "train",
          key: `comment:${ctx.comment.id}:${command.index}`,
          group: trainGroup(repo, pr.number),
          repo,
          ...pullRequestJobFields(pr),
          requestedBy: ctx.comment.author,
          commentId: ctx.comment.id,
          input: { ...trainInput({ overrides: overrides.value, config, headRepo: pr.headRepo }) },
        },
        check: {
          name: TRAIN_CHECK,
          output: {
            title: "Queued",
            summary: `Training \`${pr.headSha.slice(0, 7)}\` for #${pr.number}, requested by @${ctx.comment.author}.${list ? `\n\nOverrides: ${list}` : ""}`,
          },
        },
        supersededBecause: `Superseded by a newer \`/train\` from @${ctx.comment.author} (${pr.headSha.slice(0, 7)}).`,
      });
      return {};
    },
  };
}
