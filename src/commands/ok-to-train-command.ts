import { approvalKey } from "./check-fork-policy.js";
import type { SlashCommandRunner } from "./slash-command-runner.js";

/** `/ok-to-train`: a maintainer approves this fork PR's current head commit, and only that one. */
export const okToTrainCommand: SlashCommandRunner = {
  name: "ok-to-train",
  run: async (_command, ctx) => {
    const pr = await ctx.pullRequest();
    if (!pr.isFork) return { reply: "This pull request is not from a fork; `/train` needs no approval here." };
    if (ctx.config.forks === "deny") return { reply: "This repository's config (`forks: deny`) runs nothing for forks, so an approval would have no effect." };
    const key = approvalKey({ owner: ctx.host.owner, repo: ctx.host.repo, pr: pr.number, sha: pr.headSha });
    await ctx.store.setFact(key, JSON.stringify({ by: ctx.comment.author, at: new Date().toISOString() }));
    return {
      reply: `Approved commit \`${pr.headSha.slice(0, 7)}\` of \`${pr.headRepo}\` for \`/train\` and \`/build\`. A new push needs a new \`/ok-to-train\`.`,
    };
  },
};
