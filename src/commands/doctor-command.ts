import type { DoctorCheck } from "../doctor/doctor-check.js";
import { doctorChecks } from "../doctor/doctor-checks.js";
import type { GitHubAccess } from "../doctor/doctor-context.js";
import type { GoogleApi } from "../doctor/google-api.js";
import { openDoctorContext } from "../doctor/open-doctor-context.js";
import { runDoctor } from "../doctor/run-doctor.js";
import type { BackgroundTasks } from "../jobs/background-tasks.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { JobStore } from "../ports/job-store.js";
import { DOCTOR_MARKER, renderDoctorComment } from "../report/doctor/render-doctor-comment.js";
import { renderDoctorPending } from "../report/doctor/render-doctor-pending.js";
import type { SlashCommandRunner } from "./slash-command-runner.js";

export interface DoctorCommandDeps {
  /** The bot's environment: the doctor checks the settings the bot runs with. */
  readonly botEnv: NodeJS.ProcessEnv;
  /** The bot's open stores (the canaries go through them). */
  readonly store: JobStore;
  readonly artifacts: ArtifactStore;
  /** The App's own credentials (a JWT, and any installation), for `GET /app` and the deliveries; undefined before the app is loaded. */
  readonly github: () => GitHubAccess | undefined;
  readonly google: () => GoogleApi;
  readonly cloudRunClientOptions?: Record<string, unknown> | undefined;
  /** Where the checks run after the webhook is answered. */
  readonly background: BackgroundTasks;
  readonly checks?: readonly DoctorCheck[];
}

/** The fact holding the id of an issue's or PR's doctor comment. */
export function doctorStickyKey(repo: { owner: string; name: string }, issue: number): string {
  return `sticky:${repo.owner}/${repo.name}#${issue}:doctor`;
}

/**
 * `/doctor`: the doctor's checks for this repository, answered in one comment that a re-run edits.
 * The comment says "checking" at once; the checks run after the webhook is answered (they take
 * longer than GitHub waits), then the results replace it.
 */
export function createDoctorCommand(deps: DoctorCommandDeps): SlashCommandRunner {
  const checks = deps.checks ?? doctorChecks;
  return {
    name: "doctor",
    async run(_command, ctx) {
      const repo = { owner: ctx.host.owner, name: ctx.host.repo };
      const requestedBy = `@${ctx.comment.author}`;
      const factKey = doctorStickyKey(repo, ctx.pr);
      const known = await ctx.store.getFact(factKey);
      const upsert = async (body: string, knownId: number | undefined) => {
        const id = await ctx.host.upsertStickyComment({ issueNumber: ctx.pr, marker: DOCTOR_MARKER, body, knownId });
        if (String(id) !== known) await ctx.store.setFact(factKey, String(id));
        return id;
      };
      const id = await upsert(renderDoctorPending({ checks: checks.length, requestedBy, at: new Date() }), known ? Number(known) : undefined);
      const log = ctx.log.child({ task: "doctor" });
      deps.background.start(
        "doctor",
        async () => {
          const { ctx: doctor, close } = openDoctorContext({
            env: deps.botEnv,
            repo,
            github: deps.github(),
            google: deps.google(),
            cloudRunClientOptions: deps.cloudRunClientOptions,
            jobStore: deps.store,
            artifacts: deps.artifacts,
          });
          try {
            const results = await runDoctor({ checks, ctx: doctor });
            await upsert(renderDoctorComment({ results, requestedBy, repo: `${repo.owner}/${repo.name}`, at: new Date() }), id);
            log.info({ failed: results.filter((r) => r.status === "fail").map((r) => r.id) }, "doctor: checked");
          } finally {
            await close();
          }
        },
        log,
      );
      return {};
    },
  };
}
