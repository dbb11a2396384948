import { planImageBuilds } from "../core/images/plan-image-builds.js";
import { enqueueBuild } from "../jobs/enqueue-build.js";
import type { SlashCommandRunner } from "./slash-command-runner.js";

/** `/build [image ...]`: builds and pushes the configured images from the PR's head commit. */
export function createBuildCommand(deps: { wake: () => void }): SlashCommandRunner {
  return {
    name: "build",
    requires: { openPullRequest: "This pull request is closed, so nothing was built.", forkPolicy: true },
    run: async (command, ctx) => {
      const pr = await ctx.pullRequest();
      const plans = planImageBuilds({ config: ctx.config, names: command.positionals, sha: pr.headSha, refTag: `pr-${pr.number}` });
      if (!plans.ok) return { reply: `Nothing was built:\n\n${plans.error.map((p) => `- ${p}`).join("\n")}` };
      await enqueueBuild({
        host: ctx.host,
        store: ctx.store,
        log: ctx.log,
        repo: { owner: ctx.host.owner, name: ctx.host.repo, installationId: ctx.installationId },
        key: `comment:${ctx.comment.id}:${command.index}`,
        sha: pr.headSha,
        ref: pr.headRef,
        pr: pr.number,
        requestedBy: ctx.comment.author,
        commentId: ctx.comment.id,
        plans: plans.value,
        source: pr.repoUrl,
        wake: deps.wake,
      });
      return {};
    },
  };
}
