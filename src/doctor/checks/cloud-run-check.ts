import { JobsClient } from "@google-cloud/run";
import { failed, passed, skipped, type CheckOutcome } from "../../core/doctor/check-outcome.js";
import type { DoctorCheck } from "../doctor-check.js";
import type { DoctorContext } from "../doctor-context.js";
import { googleErrorMessage } from "../google-api.js";
import { runnerUsed } from "./runner-used.js";

/** What the Cloud Run runner does with the training job (infra/modules/iam, `job_runner`). */
export const JOB_PERMISSIONS = ["run.jobs.runWithOverrides", "run.executions.get", "run.executions.cancel"];

/**
 * The training Cloud Run job exists, the bot may run it with overrides and follow and cancel its
 * executions, and may act as the job's service account.
 */
export const cloudRunCheck: DoctorCheck = {
  id: "runner-cloud-run",
  title: "Cloud Run training job",
  async run(ctx) {
    const job = ctx.server?.cloudRunJob;
    const tried = `Read the training job${job ? ` ${job}` : ""}, tested the bot's permissions on it (${JOB_PERMISSIONS.join(", ")}) and \`iam.serviceAccounts.actAs\` on its service account.`;
    if (!job) {
      if ((await runnerUsed(ctx)) === "cloud-run") return failed(tried, "The repository uses `runner: cloud-run`, but MLOPS_CLOUD_RUN_JOB is not set.", "Set MLOPS_CLOUD_RUN_JOB (and MLOPS_ARTIFACTS to a gs:// prefix); infra/ does both once training_image is set.");
      return skipped(tried, "No Cloud Run job configured (MLOPS_CLOUD_RUN_JOB): `runner: cloud-run` is off.");
    }
    const client = new JobsClient({ fallback: true, ...ctx.cloudRunClientOptions });
    try {
      return await checkJob(ctx, client, job, tried);
    } catch (e) {
      // gRPC codes (5 NOT_FOUND, 7 PERMISSION_DENIED), or the HTTP status in the REST fallback.
      const code = (e as { code?: number }).code;
      if (code === 5 || code === 404) return failed(tried, `${job} does not exist.`, "Create it: set training_image in infra/envs/<env>/terraform.tfvars and apply, or correct MLOPS_CLOUD_RUN_JOB.");
      if (code === 7 || code === 403) return failed(tried, `The bot may not read ${job}: ${(e as Error).message}`, "Grant the bot's service account the job runner role on the job (infra/modules/training_job, runner_members).");
      return failed(tried, `${job}: ${(e as Error).message}`, "Check the job's name, the Cloud Run API (run.googleapis.com) and the bot's credentials.");
    } finally {
      await client.close().catch(() => undefined);
    }
  },
};

async function checkJob(ctx: DoctorContext, client: JobsClient, job: string, tried: string): Promise<CheckOutcome> {
  const found = (await ctx.facts.cloudRunJob())!;
  const [granted] = await client.testIamPermissions({ resource: job, permissions: JOB_PERMISSIONS });
  const missing = JOB_PERMISSIONS.filter((p) => !(granted.permissions ?? []).includes(p));
  if (missing.length) {
    return failed(tried, `The bot lacks ${missing.join(", ")} on ${job}.`, "Grant the bot's service account the job runner role on the job (infra/modules/training_job: runner_members and runner_role).");
  }
  const account = found.template?.template?.serviceAccount;
  if (!account) return failed(tried, `${job} runs as the project's default compute service account.`, "Give the job its own service account (infra/modules/iam makes `<name>-training`).");
  const url = `https://iam.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(account)}:testIamPermissions`;
  const answer = await ctx.google.call("POST", url, { permissions: ["iam.serviceAccounts.actAs"] });
  if (answer.status !== 200) return failed(tried, `Testing actAs on ${account} answered ${googleErrorMessage(answer)}.`, "Enable the IAM API (iam.googleapis.com) and check the bot's credentials.");
  const acts = ((answer.body as { permissions?: string[] } | undefined)?.permissions ?? []).includes("iam.serviceAccounts.actAs");
  if (!acts) return failed(tried, `The bot may not act as ${account}, so it cannot run the job.`, `Grant the bot's service account roles/iam.serviceAccountUser on ${account} (infra/modules/iam: bot_acts_as_training).`);
  return passed(tried, `${job} exists and runs as ${account}; the bot may run it with overrides, follow and cancel its executions, and act as its account.`);
}
