/** A run in the experiment tracker that a job logs to. */
export interface TrackedRun {
  readonly runId: string;
  readonly experimentId: string;
  /** The run's page in the tracker's UI. */
  readonly runUrl: string;
}

export type TrackedRunStatus = "FINISHED" | "FAILED" | "KILLED";

/**
 * An experiment tracker (MLflow) that the bot creates runs in: the job logs its params, metrics,
 * model and plots to the run the bot made and tagged, so the bot knows the run's id without
 * trusting anything the job writes, and can link it.
 */
export interface ExperimentTracker {
  /** What jobs get as MLFLOW_TRACKING_URI. */
  readonly trackingUri: string;
  /** Creates a tagged run in the named experiment (created when missing). */
  startRun(params: { experiment: string; runName: string; tags: Readonly<Record<string, string>> }): Promise<TrackedRun>;
  /** Sets tags on a run, over whatever values they had. */
  setTags(runId: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** Ends a run with the job's outcome (the pipeline may have left it running). */
  endRun(runId: string, status: TrackedRunStatus): Promise<void>;
  /** A run as the tracker has it now: status, tags, latest metrics; undefined when it does not exist. */
  getRun(runId: string): Promise<{ status: string; tags: Readonly<Record<string, string>>; metrics: Readonly<Record<string, number>> } | undefined>;
  /** The UI page comparing runs of an experiment. */
  compareUrl(experimentId: string, runIds: readonly string[]): string;
}
