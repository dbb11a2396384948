import { mlflowAuth } from "../../adapters/tracking/create-mlflow-tracker.js";
import { loadMlflowConfig, type MlflowConfig } from "../../config/mlflow-config.js";
import { failed, passed, skipped, warned } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import type { DoctorContext } from "../doctor-context.js";
import { mlflowCanaryRun, MlflowCallError } from "./mlflow-canary-run.js";

export const DOCTOR_EXPERIMENT = "mlops-bot-doctor";

/**
 * MLflow answers with the credentials jobs get (the variables MLOPS_JOB_ENV lets through; the
 * bot's when it signs in with Google, as each job's own service account does), and a run can be
 * created and deleted in a scratch experiment.
 */
export const mlflowCheck: DoctorCheck = {
  id: "mlflow",
  title: "MLflow",
  async run(ctx) {
    const bot = ctx.server?.mlflow;
    const tried = `Created a run in the scratch experiment \`${DOCTOR_EXPERIMENT}\` and deleted it again, with the credentials jobs get.`;
    if (!bot) return skipped(tried, "MLflow is off (MLFLOW_TRACKING_URI is not set).");
    const job = jobView(ctx);
    const config = bot.auth.kind === "google" || !job ? bot : job;
    try {
      const run = await mlflowCanaryRun({ trackingUri: config.trackingUri, auth: mlflowAuth(config), experiment: DOCTOR_EXPERIMENT });
      const found = `${config.trackingUri}: created run ${run.runId} in experiment ${run.experimentId} and deleted it.`;
      if (!job) return warned(tried, `${found} But jobs are not given MLFLOW_TRACKING_URI, so they log nowhere.`, "Add MLFLOW_TRACKING_URI to MLOPS_JOB_ENV, and to `pipeline.env` in the repository config.");
      return passed(tried, found);
    } catch (e) {
      const status = e instanceof MlflowCallError ? e.status : undefined;
      return failed(tried, `${config.trackingUri}: ${(e as Error).message}`, fixFor(config, status));
    }
  },
};

/** MLflow as a job sees it: the MLFLOW_* variables the operator lets through to jobs. */
function jobView(ctx: DoctorContext): MlflowConfig | undefined {
  const allowed = new Set(ctx.server?.jobEnvAllowed ?? []);
  const names = ["MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"];
  const env = Object.fromEntries(names.filter((n) => allowed.has(n)).map((n) => [n, ctx.env[n]]));
  try {
    return loadMlflowConfig(env);
  } catch {
    return undefined;
  }
}

function fixFor(config: MlflowConfig, status: number | undefined): string {
  if (status === 401 || status === 403) {
    return config.auth.kind === "google"
      ? "Grant the bot's and the training job's service accounts roles/run.invoker on the MLflow Cloud Run service (infra/modules/mlflow, mlflow_invoker_members)."
      : "Check the credentials jobs get (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, let through by MLOPS_JOB_ENV) with the server's administrator.";
  }
  if (status !== undefined) return "MLflow answered with an error: see its log (on Cloud Run, the mlflow service's logs).";
  return `Check that the tracking server runs and that ${config.trackingUri} reaches it from the bot (MLFLOW_TRACKING_URI); on Cloud Run, that the mlflow service is deployed (mlflow_image).`;
}
