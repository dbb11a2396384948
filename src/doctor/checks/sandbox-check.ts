import { probeBubblewrap } from "../../adapters/runners/sandbox/probe-bubblewrap.js";
import { failed, passed, skipped, warned } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";

/** The local runner can make its bubblewrap sandbox (as the sandbox uid when the bot runs as root), as it does for every job. */
export const sandboxCheck: DoctorCheck = {
  id: "runner-sandbox",
  title: "Local runner sandbox",
  run(ctx) {
    const tried = "Made a bubblewrap sandbox that runs `true`, as the local runner does for each job.";
    if (!ctx.server) return Promise.resolve(skipped(tried, "Needs valid server settings."));
    const root = process.getuid?.() === 0;
    const hostUser = root ? { uid: ctx.server.sandboxUid, gid: ctx.server.sandboxUid } : undefined;
    const probe = probeBubblewrap(hostUser, ctx.bwrapCandidates);
    if (probe.ok) return Promise.resolve(passed(tried, `${probe.bwrap} made a sandbox${root ? ` as uid ${ctx.server.sandboxUid} (MLOPS_SANDBOX_UID)` : ""}.`));
    const found = probe.message.replace(/ Install bubblewrap.*$/s, "");
    const fix = probe.message.slice(found.length).trim();
    if (ctx.server.allowUnsandboxed) return Promise.resolve(warned(tried, `${found} MLOPS_ALLOW_UNSANDBOXED is set, so local jobs run as plain processes of the bot's user.`, fix));
    return Promise.resolve(failed(tried, `${found} The local runner refuses every job.`, fix));
  },
};
