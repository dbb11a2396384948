import { checkOverrides, type ParamsFileAt } from "../core/overrides/check-overrides.js";
import { renderOverrides } from "../report/train/render-overrides.js";
import type { SlashCommand } from "../core/slash-commands/parse-slash-commands.js";
import { pullRequestJobFields, queueJob } from "../jobs/queue-job.js";
import { TRAIN_CHECK, trainGroup, trainInput } from "../core/jobs/train-job.js";
import type { CommandContext, CommandOutcome, SlashCommandRunner } from "./slash-command-runner.js";
import path from "node:path";
import type { RunnerRegistry } from "../jobs/runner-registry.js";
import { renderError } from "../report/render-error.js";
import type { SourceProvider } from "../ports/source-provider.js";

/**
 * `/train [key=value ...]`: checks the PR, the fork policy, that this bot has the configured
 * runner and the overrides (against the params files at the PR head, read from the bot's own
 * mirror of the repository: git, not the contents API), then queues the job, supersedes this
 * PR's older training jobs, and creates the queued check run. The webhook is answered; the
 * worker does the rest.
 */
export function createTrainCommand(deps: {
  wake: () => void;
  runners: Pick<RunnerRegistry, "missing">;
  sources: Pick<SourceProvider, "readCommits">;
  maxParamsBytes: number;
}): SlashCommandRunner {
  return {
    name: "train",
    requires: { openPullRequest: "This pull request is closed, so nothing was trained.", forkPolicy: true },
    run: async (command: SlashCommand, ctx: CommandContext): Promise<CommandOutcome> => {
      const { host, store, config } = ctx;
      const noRunner = deps.runners.missing(config.runner);
      if (noRunner) return { reply: renderError(noRunner, { nothingRan: "nothing was trained" }) };
      const pr = await ctx.pullRequest();

      // The params files at the PR head are hostile: they are parsed by the parse workers.
      const files = command.assignments.length === 0 ? [] : await paramsFilesAt(deps, ctx, pr.headSha);
      const overrides = await checkOverrides({ overrides: command.assignments, files, parse: ctx.parse, at: pr.headSha.slice(0, 7), maxBytes: deps.maxParamsBytes });
      if (!overrides.ok) {
        const { headline, details } = overrides.error;
        return { reply: [headline, ...(details.length ? ["", ...details.map((d) => `- ${d}`)] : [])].join("\n") };
      }

      const repo = { owner: host.owner, name: host.repo, installationId: ctx.installationId };
      const list = renderOverrides(overrides.value);
      await queueJob({ host, store, log: ctx.log, wake: deps.wake }, {
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

/** The configured params files at `sha`, from the mirror (fetched with the installation's token), read only when `checkOverrides` asks. */
async function paramsFilesAt(deps: { sources: Pick<SourceProvider, "readCommits"> }, ctx: CommandContext, sha: string): Promise<ParamsFileAt[]> {
  const { host, config } = ctx;
  const [commit] = await deps.sources.readCommits({ repo: { owner: host.owner, name: host.repo, cloneUrl: host.cloneUrl() }, shas: [sha], token: () => host.gitToken() });
  const wanted = config.pipeline.params.map((file) => path.posix.join(config.pipeline.workdir, file));
  let texts: Promise<Map<string, string>> | undefined;
  return wanted.map((file) => ({ file, bytes: commit!.sizes?.get(file), read: async () => (await (texts ??= commit!.read(wanted))).get(file) }));
}
