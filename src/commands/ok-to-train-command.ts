import { approvalKey } from "./check-fork-policy.js";
import { recordHeadSeen } from "./head-sightings.js";
import type { CommandContext, SlashCommandRunner } from "./slash-command-runner.js";

/**
 * `/ok-to-train [sha]`: a maintainer approves one commit of this fork PR, and only a commit they
 * could have seen. Without a sha, the PR's head, unless that head first appeared (to the bot:
 * a `pull_request` event or its own read) after the comment was written — a push between the
 * review and the comment is refused, naming the new commit. With a sha, exactly that commit.
 */
export const okToTrainCommand: SlashCommandRunner = {
  name: "ok-to-train",
  run: async (command, ctx) => {
    const pr = await ctx.pullRequest();
    if (!pr.isFork) return { reply: "This pull request is not from a fork; `/train` needs no approval here." };
    if (ctx.config.forks === "deny") return { reply: "This repository's config (`forks: deny`) runs nothing for forks, so an approval would have no effect." };
    const named = command.positionals;
    if (named.length > 1) return { reply: "Name one commit only (`/ok-to-train` and one sha). Nothing was approved." };
    const sha = named[0] === undefined ? await headSeenBeforeComment(ctx, pr.headSha) : namedCommit(named[0], pr.headSha);
    if (!sha.ok) return { reply: sha.reply };
    await ctx.store.setFact(approvalKey({ owner: ctx.host.owner, repo: ctx.host.repo, pr: pr.number, sha: sha.value }), JSON.stringify({ by: ctx.comment.author, at: new Date().toISOString() }));
    const which = sha.value === pr.headSha ? "" : ` (not the current head, \`${pr.headSha.slice(0, 7)}\`)`;
    return { reply: `Approved commit \`${sha.value.slice(0, 7)}\`${which} of \`${pr.headRepo}\` for \`/train\` and \`/build\`. A new push needs a new \`/ok-to-train\`.` };
  },
};

type Chosen = { ok: true; value: string } | { ok: false; reply: string };

/** The head, if the bot saw it no later than the comment was written. */
async function headSeenBeforeComment(ctx: CommandContext, head: string): Promise<Chosen> {
  const seen = await recordHeadSeen(ctx.store, { owner: ctx.host.owner, repo: ctx.host.repo, pr: ctx.pr, sha: head, at: new Date() });
  if (seen <= ctx.comment.createdAt) return { ok: true, value: head };
  return {
    ok: false,
    reply: `The head of this pull request is now \`${head.slice(0, 7)}\`, which appeared after your comment was written, so you may not have seen it. Nothing was approved: review it, then comment \`/ok-to-train ${head}\`.`,
  };
}

/** A sha the maintainer named: the head (by any prefix of 7 or more), or another commit by its full sha. */
function namedCommit(text: string, head: string): Chosen {
  const sha = text.toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(sha)) return { ok: false, reply: "That is not a commit sha (7 to 40 hexadecimal characters). Nothing was approved." };
  if (head.startsWith(sha)) return { ok: true, value: head };
  if (sha.length === 40) return { ok: true, value: sha };
  return { ok: false, reply: `\`${sha}\` is not the head of this pull request (\`${head.slice(0, 7)}\`); name another commit by its full 40-character sha. Nothing was approved.` };
}
