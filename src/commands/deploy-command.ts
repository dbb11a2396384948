import { enqueueDeploy } from "../jobs/enqueue-deploy.js";
import { findPromotableRun } from "../jobs/find-promotable-run.js";
import type { SlashCommandRunner } from "./slash-command-runner.js";

/**
 * `/deploy` (maintain and up by default): promotes the model of the PR's last `/train`, when that
 * run trained the PR's head commit and passed its gates; open or merged PRs alike. Takes no
 * argument: what is deployed is the bot's own record of that run, never something the comment or
 * the PR's files name.
 */
export function createDeployCommand(deps: { wake: () => void }): SlashCommandRunner {
  return {
    name: "deploy",
    run: async (command, ctx) => {
      const pr = await ctx.pullRequest();
      const repo = { owner: ctx.host.owner, name: ctx.host.repo, installationId: ctx.installationId };
      const run = await findPromotableRun({ store: ctx.store, parse: ctx.parse, repo, pr: pr.number, headSha: pr.headSha });
      if (!run.ok) return { reply: `Nothing was deployed. ${run.error}` };
      await enqueueDeploy({
        host: ctx.host,
        store: ctx.store,
        log: ctx.log,
        repo,
        key: `comment:${ctx.comment.id}:${command.index}`,
        pr: pr.number,
        headSha: pr.headSha,
        headRef: pr.headRef,
        baseRef: pr.baseRef,
        requestedBy: ctx.comment.author,
        commentId: ctx.comment.id,
        input: { run: run.value, trigger: "comment", mergeSha: null },
        wake: deps.wake,
      });
      return {};
    },
  };
}
