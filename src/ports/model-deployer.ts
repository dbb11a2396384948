import type { DeployResult } from "../core/jobs/deploy-job.js";

export interface ModelRolloutRequest {
  /** The model file's bytes (already checked against the promoted run's SHA-256). */
  readonly model: Buffer;
  /** A short id unique to this promotion: the model's folder and the revision's suffix. */
  readonly modelId: string;
  /** The lineage record written beside the model (PR, commit, jobs, metrics). */
  readonly lineage: Readonly<Record<string, unknown>>;
  /** Labels of the new revision (Google label syntax: lowercase keys and values). */
  readonly labels: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** Says what the rollout is doing (for the check run). */
  readonly progress: (summary: string) => void;
}

/** Serves a model: uploads it and rolls the inference service to a revision that loads it. */
export interface ModelDeployer {
  /** The service it rolls, e.g. `projects/p/locations/europe-west1/services/mlops-bot-inference`. */
  readonly service: string;
  /** Never throws for a refused or failed rollout: the result says what happened (`error`). */
  deploy(request: ModelRolloutRequest): Promise<DeployResult>;
}
