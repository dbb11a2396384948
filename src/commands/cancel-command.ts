import { cancelGroup } from "../jobs/cancel-group.js";
import { trainGroup } from "../core/jobs/train-job.js";
import type { SlashCommandRunner } from "./slash-command-runner.js";

/** `/cancel`: stops this PR's queued or running training job. */
export function createCancelCommand(deps: { wake: () => void }): SlashCommandRunner {
  return {
    name: "cancel",
    run: async (_command, ctx) => {
      const group = trainGroup({ owner: ctx.host.owner, name: ctx.host.repo }, ctx.pr);
      const { queued, running } = await cancelGroup({ store: ctx.store, group, reason: `Cancelled by @${ctx.comment.author}.` });
      if (queued + running === 0) return { reply: "There is no queued or running training job on this pull request to cancel." };
      deps.wake();
      const parts = [running ? `${running} running` : "", queued ? `${queued} queued` : ""].filter(Boolean).join(" and ");
      return { reply: `Cancelling ${parts} training job${queued + running > 1 ? "s" : ""}; the check run will say when it has stopped.` };
    },
  };
}
