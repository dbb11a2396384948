import { z } from "zod";
import { experimentName } from "../config/mlflow-config.js";
import type { TrainJob } from "../core/jobs/job.js";
import type { TrainingResult } from "../core/train/training-result.js";
import type { ExperimentTracker, TrackedRun } from "../ports/experiment-tracker.js";
import type { JobStore } from "../ports/job-store.js";
import { listBaseBranchRuns } from "./list-base-branch-runs.js";

export interface Tracking {
  readonly tracker: ExperimentTracker;
  /** The experiment name template (`{owner}/{repo}`). */
  readonly experiment: string;
}

export type TrackedRunResult = NonNullable<TrainingResult["mlflow"]>;

const runFactSchema = z.object({ runId: z.string(), experimentId: z.string(), runUrl: z.string() });
const runFact = (jobId: string) => `mlflow-run:${jobId}`;

/**
 * Makes the MLflow run a train job logs to, tagged with the repository, PR, commit and job, and
 * the variables that point the job at it (`MLFLOW_TRACKING_URI`, `MLFLOW_RUN_ID`,
 * `MLFLOW_EXPERIMENT_ID`). A job followed again after a restart gets the run it already had. When
 * the tracker cannot be reached the job runs without it, and the report says why.
 */
export async function startTrackedRun(tracking: Tracking, job: TrainJob, store: Pick<JobStore, "getFact" | "setFact">): Promise<{ run?: TrackedRun; env: Record<string, string>; problem?: string }> {
  try {
    const known = runFactSchema.safeParse(JSON.parse((await store.getFact(runFact(job.id))) ?? "null"));
    let run: TrackedRun;
    if (known.success) run = known.data;
    else {
      run = await tracking.tracker.startRun({ experiment: experimentName(tracking.experiment, job.repo), runName: `${job.pr === null ? "" : `#${job.pr} `}${job.headSha.slice(0, 7)}`, tags: runTags(job) });
      await store.setFact(runFact(job.id), JSON.stringify(run));
    }
    return { run, env: { MLFLOW_TRACKING_URI: tracking.tracker.trackingUri, MLFLOW_RUN_ID: run.runId, MLFLOW_EXPERIMENT_ID: run.experimentId } };
  } catch (e) {
    return { env: {}, problem: `The MLflow run could not be created, so this job was not tracked: ${(e as Error).message}` };
  }
}

/** The tags that find a job's run from GitHub's side (and GitHub's from MLflow's). */
export function runTags(job: TrainJob): Record<string, string> {
  const repository = `${job.repo.owner}/${job.repo.name}`;
  return {
    "mlops_bot.repository": repository,
    ...(job.pr === null ? {} : { "mlops_bot.pr": String(job.pr) }),
    "mlops_bot.sha": job.headSha,
    "mlops_bot.job_id": job.id,
    "mlops_bot.requested_by": job.requestedBy,
    ...(job.baseRef ? { "mlops_bot.base_ref": job.baseRef } : {}),
    ...(job.baseSha ? { "mlops_bot.base_sha": job.baseSha } : {}),
    "mlflow.source.name": repository,
    "mlflow.source.git.commit": job.headSha,
    ...(job.headRef ? { "mlflow.source.git.branch": job.headRef } : {}),
  };
}

/**
 * Ends the run with the job's outcome and reads it back (a run the pipeline logged nothing to is
 * worth saying: it does not read `MLFLOW_RUN_ID`); links the comparison with the base branch's
 * last tracked run in the same experiment.
 */
export async function endTrackedRun(params: { tracking: Tracking; run: TrackedRun; job: TrainJob; outcome: TrainingResult["outcome"]; store: Pick<JobStore, "list"> }): Promise<TrackedRunResult> {
  const { tracker } = params.tracking;
  const { run } = params;
  const out: TrackedRunResult = { runId: run.runId, experimentId: run.experimentId, runUrl: run.runUrl };
  try {
    // The job could write to its run: the tags that tie it to the repository, PR and commit are the bot's again.
    await tracker.setTags(run.runId, runTags(params.job));
    await tracker.endRun(run.runId, params.outcome === "succeeded" ? "FINISHED" : params.outcome === "cancelled" ? "KILLED" : "FAILED");
    const logged = await tracker.getRun(run.runId);
    const base = await lastBaseRun(params.store, params.job, run.experimentId);
    const problem = logged && Object.keys(logged.metrics).length === 0 && params.outcome === "succeeded" ? "The pipeline logged no metrics to its MLflow run (does it log to the run in `MLFLOW_RUN_ID`?)." : undefined;
    return { ...out, ...(base ? { baseRunId: base, compareUrl: tracker.compareUrl(run.experimentId, [run.runId, base]) } : {}), ...(problem ? { problem } : {}) };
  } catch (e) {
    return { ...out, problem: `The MLflow run could not be ended: ${(e as Error).message}` };
  }
}

/** The MLflow run of the last successful training on the base repository's base branch, in the same experiment. */
async function lastBaseRun(store: Pick<JobStore, "list">, job: TrainJob, experimentId: string): Promise<string | undefined> {
  const runs = await listBaseBranchRuns(store, job);
  return runs.filter((r) => r.id !== job.id && r.result?.mlflow?.experimentId === experimentId).at(-1)?.result?.mlflow?.runId;
}
