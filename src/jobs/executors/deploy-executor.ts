import { createHash } from "node:crypto";
import { loadRepoConfig } from "../../config/load-repo-config.js";
import { REPO_CONFIG_PATH } from "../../config/repo-config-schema.js";
import { DEPLOY_CHECK } from "../../core/jobs/deploy-job.js";
import { formatProblem } from "../../core/problem.js";
import type { DeployJob } from "../../core/jobs/job.js";
import type { ModelDeployer } from "../../ports/model-deployer.js";
import type { SourceProvider } from "../../ports/source-provider.js";
import { renderDeployReport } from "../../report/deploy/render-deploy-report.js";
import { jobExecutor, type JobExecutor, type JobOutcome, type JobReportContext, type JobRunContext } from "../job-executor.js";

/**
 * Promotions (`/deploy`, `deploy.on_merge`): the model the train job stored is read back and
 * checked against the SHA-256 recorded when the promotion was asked for, then handed to the
 * deployer with its lineage (PR, commit, jobs, metrics) as a record beside the model and as labels
 * of the new revision. The deploy job itself is the bot's record of the promotion.
 *
 * The settings that allowed the promotion when it was queued are checked again when it starts,
 * so a job queued before they were removed ends, saying what to set, instead of waiting forever:
 * without a deployer (`MLOPS_DEPLOY_SERVICE`, `MLOPS_DEPLOY_MODELS` unset) it fails; a promotion
 * on merge whose repository has since turned `deploy.on_merge` off is cancelled.
 */
export function createDeployExecutor(deps: { deployer: ModelDeployer | undefined; sources: Pick<SourceProvider, "readDefaultBranchFile"> }): JobExecutor {
  return jobExecutor("deploy", {
    checkName: DEPLOY_CHECK,
    run: async (job, ctx) => {
      if (!deps.deployer) return { state: "failed", reason: DEPLOY_OFF_REASON };
      return (await stillWanted(job, ctx, deps.sources)) ?? runDeploy(deps.deployer, job, ctx);
    },
    report: reportDeploy,
  });
}

/** Why a promotion that a bot without promotions picks up is not run: what is missing and what to set. */
export const DEPLOY_OFF_REASON =
  "Promotions are off on this bot: `MLOPS_DEPLOY_SERVICE` (the inference Cloud Run service) and `MLOPS_DEPLOY_MODELS` (its models bucket) are not set, though they were when this promotion was queued, so nothing was deployed. The bot's operator sets both (`terraform output inference_service`, docs/configuration.md) and restarts the bot; then a maintainer comments `/deploy` on the pull request.";

/** A promotion on merge when the default branch's config no longer asks for one (or cannot be read): how it ends instead of running. */
async function stillWanted(job: DeployJob, ctx: JobRunContext, sources: Pick<SourceProvider, "readDefaultBranchFile">): Promise<JobOutcome | undefined> {
  if (job.input.trigger !== "merge") return undefined;
  // No webhook names the default branch here: the remote's HEAD is it.
  const config = await loadRepoConfig({ host: ctx.host, sources });
  if (!config.ok) {
    return {
      state: "failed",
      reason: `\`${REPO_CONFIG_PATH}\` of the default branch is no longer valid, so this promotion on merge was not started:\n\n${config.error.map((p) => `- ${formatProblem(p)}`).join("\n")}\n\nFix the file, then comment \`/deploy\` on the pull request.`,
    };
  }
  if (config.value.deploy.on_merge) return undefined;
  return {
    state: "cancelled",
    reason: `\`deploy.on_merge\` was turned off in \`${REPO_CONFIG_PATH}\` of the default branch after this promotion was queued, so nothing was deployed. To promote this model anyway, a maintainer comments \`/deploy\` on the pull request.`,
  };
}

async function runDeploy(deployer: ModelDeployer, job: DeployJob, ctx: JobRunContext): Promise<JobOutcome> {
  const { run } = job.input;
  const started = `Promoting the model of \`${job.headSha.slice(0, 7)}\`${job.pr !== null ? ` (#${job.pr})` : ""} to \`${deployer.service}\`.`;
  const model = await ctx.artifacts.get(run.modelKey);
  const sha256 = model && createHash("sha256").update(model).digest("hex");
  if (!model || sha256 !== run.modelSha256 || model.length !== run.modelBytes) {
    return { state: "failed", reason: `The model of train job \`${run.jobId}\` (\`${run.modelPath}\`) is ${model ? "not the file that passed the gates (its SHA-256 changed)" : "no longer in the bot's artifact store"}, so nothing was deployed. Comment \`/train\` and deploy the new run.` };
  }
  const modelId = `${job.headSha.slice(0, 7)}-${job.id.replace(/[^a-z0-9]/gi, "").slice(0, 8).toLowerCase()}`;
  const lineage = {
    repository: `${job.repo.owner}/${job.repo.name}`,
    pullRequest: job.pr,
    commit: job.headSha,
    mergeCommit: job.input.mergeSha,
    trigger: job.input.trigger,
    requestedBy: job.requestedBy,
    trainJob: run.jobId,
    deployJob: job.id,
    model: { path: run.modelPath, bytes: run.modelBytes, sha256: run.modelSha256 },
    metrics: run.metrics,
    gates: run.gates,
    ...(run.mlflowRunUrl ? { mlflowRun: run.mlflowRunUrl } : {}),
    promotedAt: new Date().toISOString(),
  };
  const labels = {
    "mlops-bot-repo": label(`${job.repo.owner}_${job.repo.name}`),
    ...(job.pr !== null ? { "mlops-bot-pr": String(job.pr) } : {}),
    "mlops-bot-sha": job.headSha.toLowerCase(),
    "mlops-bot-train-job": label(run.jobId),
    "mlops-bot-deploy-job": label(job.id),
  };
  const result = await deployer.deploy({
    model,
    modelId,
    lineage,
    labels,
    signal: ctx.signal,
    progress: (summary) => ctx.progress({ title: "Deploying", summary: `${started}\n\n${summary}` }),
  });
  if (result.error) return { state: "failed", reason: result.error, result };
  return { state: "succeeded", result };
}

/** A Google label value: lowercase letters, digits, `_` and `-`, at most 63 characters. */
function label(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
}

async function reportDeploy(job: DeployJob, ctx: JobReportContext): Promise<void> {
  const report = renderDeployReport(job);
  let checkRunId = job.checkRunId;
  if (checkRunId === null) {
    checkRunId = (await ctx.host.createCheckRun({ name: DEPLOY_CHECK, headSha: job.headSha, externalId: job.id, status: "in_progress", output: { title: "Reporting", summary: "" } })).id;
    await ctx.store.update(job.id, { checkRunId });
  }
  await ctx.host.updateCheckRun(checkRunId, { conclusion: report.conclusion, output: { title: report.title, summary: report.summary } });
  if (job.commentId !== null && report.conclusion !== "cancelled") await ctx.host.react(job.commentId, report.conclusion === "success" ? "rocket" : "confused");
}
