import type { ServerConfig } from "../../config/server-config.js";
import type { BuildJob } from "../../core/jobs/job.js";
import { resolveRegistryAuth } from "../../adapters/images/resolve-registry-auth.js";
import { renderBuildReport } from "../../report/build/render-build-report.js";
import type { ImageBuilder } from "../../ports/image-builder.js";
import type { SourceProvider } from "../../ports/source-provider.js";
import { BUILD_CHECK } from "../../core/jobs/build-job.js";
import type { ImageBuildOutcome } from "../../core/images/image-build-outcome.js";
import { jobExecutor, type JobExecutor, type JobOutcome, type JobReportContext, type JobRunContext } from "../job-executor.js";
import { abortedOutcome } from "../abort-reasons.js";

export interface BuildExecutorDeps {
  readonly sources: SourceProvider;
  readonly builder: ImageBuilder;
  readonly registryAuth: ServerConfig["registryAuth"];
}

/** Why a build that a bot without a Docker engine picks up is not run: what is missing and what to set. */
export const BUILD_OFF_REASON =
  "This bot has no Docker engine now (`MLOPS_DOCKER_HOST` is not set and `/var/run/docker.sock` does not exist), though it had one when this build was queued, so nothing was built. The bot's operator sets `MLOPS_DOCKER_HOST` to the engine's socket (or starts Docker) and restarts the bot; then run the build again (`/build`, or a push with `build_on_push`).";

/**
 * `/build` and build-on-push jobs: for each planned image, a `git archive` of the commit's context
 * folder is built by the engine, tagged, and pushed; the check run lists tag, digest, size, time.
 * Without an engine (the bot restarted without one while builds were queued) a build fails saying
 * what to set, instead of waiting forever.
 */
export function createBuildExecutor(deps: Omit<BuildExecutorDeps, "builder"> & { readonly builder: ImageBuilder | undefined }): JobExecutor {
  const { builder } = deps;
  return jobExecutor("build", {
    checkName: BUILD_CHECK,
    run: (job, ctx) => (builder ? runBuild({ ...deps, builder }, job, ctx) : Promise.resolve({ state: "failed", reason: BUILD_OFF_REASON })),
    report: reportBuild,
  });
}

async function runBuild(deps: BuildExecutorDeps, job: BuildJob, ctx: JobRunContext): Promise<JobOutcome> {
  const { input } = job;
  const outcomes: ImageBuildOutcome[] = [];
  for (const plan of input.plans) {
    if (ctx.signal.aborted) break;
    ctx.progress({ title: `Building ${plan.name}`, summary: `Building \`${plan.tags[0]}\` from \`${plan.context}/${plan.dockerfile}\`.` });
    const built = await deps.builder.build({
      context: await deps.sources.archive({ repo: { owner: job.repo.owner, name: job.repo.name, cloneUrl: ctx.host.cloneUrl() }, sha: job.headSha, folder: plan.context, token: () => ctx.host.gitToken() }),
      dockerfile: plan.dockerfile,
      buildArgs: plan.buildArgs,
      labels: {
        "org.opencontainers.image.revision": job.headSha,
        "org.opencontainers.image.source": input.source,
        "org.opencontainers.image.created": new Date().toISOString(),
        "org.opencontainers.image.title": plan.name,
      },
      tags: plan.tags,
      log: ctx.artifacts.openWrite(`jobs/${job.id}/build-${plan.name}.log`),
      signal: ctx.signal,
    });
    if (!built.ok) {
      outcomes.push({ name: plan.name, ok: false, tags: plan.tags, durationMs: built.durationMs, failedStep: built.failedStep, error: built.error, logTail: built.logTail });
      continue;
    }
    ctx.progress({ title: `Pushing ${plan.name}`, summary: `Pushing \`${plan.tags.join("`, `")}\`.` });
    const registry = plan.tags[0]!.slice(0, plan.tags[0]!.lastIndexOf("/"));
    const auth = await resolveRegistryAuth({ auth: deps.registryAuth, registry });
    let digest = "";
    try {
      for (const [i, tag] of plan.tags.entries()) {
        const pushed = await deps.builder.push({ tag, auth, log: ctx.artifacts.openWrite(`jobs/${job.id}/push-${plan.name}-${i}.log`), signal: ctx.signal });
        if (i === 0) digest = pushed.digest;
      }
    } catch (e) {
      outcomes.push({ name: plan.name, ok: false, tags: plan.tags, durationMs: built.durationMs, error: (e as Error).message, logTail: [] });
      continue;
    }
    outcomes.push({ name: plan.name, ok: true, tags: plan.tags, digest, sizeBytes: built.sizeBytes, durationMs: built.durationMs });
  }
  if (ctx.signal.aborted) return { ...abortedOutcome(ctx.signal), result: { outcomes } };
  const failed = outcomes.filter((o) => !o.ok);
  return failed.length
    ? { state: "failed", reason: `${failed.map((f) => f.name).join(", ")} could not be built or pushed.`, result: { outcomes } }
    : { state: "succeeded", result: { outcomes } };
}

async function reportBuild(job: BuildJob, ctx: JobReportContext): Promise<void> {
  const outcomes = job.result?.outcomes ?? [];
  const report = renderBuildReport({ job, outcomes });
  let checkRunId = job.checkRunId;
  if (checkRunId === null) {
    checkRunId = (await ctx.host.createCheckRun({ name: BUILD_CHECK, headSha: job.headSha, externalId: job.id, status: "in_progress", output: { title: "Reporting", summary: "" } })).id;
    await ctx.store.update(job.id, { checkRunId });
  }
  await ctx.host.updateCheckRun(checkRunId, { conclusion: report.conclusion, output: { title: report.title, summary: report.summary } });
  if (job.commentId !== null && report.conclusion !== "cancelled") await ctx.host.react(job.commentId, report.conclusion === "success" ? "rocket" : "confused");
}
