import { z } from "zod";
import { repoConfigSchema, type RepoConfig } from "../../config/repo-config-schema.js";
import { typedOverrideSchema } from "../overrides/typed-override-schema.js";
import type { TypedOverride } from "../overrides/validate-overrides.js";
import { trainingResultSchema } from "../train/training-result.js";

/**
 * A `train` job: its stored input and result, and its identity on GitHub (check run, group,
 * sticky comment). The one place that knows what a train job looks like.
 */
export const TRAIN_CHECK = "mlops-bot/train";
export const TRAIN_MARKER = "<!-- mlops-bot:train -->";

/** The config keys a train job keeps from the moment it was asked for. */
const trainConfigSchema = repoConfigSchema.pick({ pipeline: true, gates: true, report: true, runner: true, images: true, registry: true, sandbox: true });

/**
 * What a train job carries from the moment it was asked for: the overrides, and the config read
 * from the default branch then (so a later config change or a PR cannot alter a queued job).
 */
export const trainInputSchema = z.object({
  overrides: z.array(typedOverrideSchema).readonly(),
  config: trainConfigSchema,
  /**
   * Set only by the bot when it queues a run for a push to the repository's default branch: such a
   * run writes the default branch's layer of the shared DVC cache, which pull requests only read.
   */
  onDefaultBranch: z.literal(true).optional(),
  /**
   * `owner/name` of the repository the trained commit came from (a fork's, for a fork PR): only
   * runs of the base repository's own branches serve as baselines. Absent in records made before
   * it was kept; such runs are never baselines.
   */
  headRepo: z.string().optional(),
});
export type TrainInput = z.output<typeof trainInputSchema>;

export const trainResultSchema = trainingResultSchema;

export function trainInput(params: { overrides: readonly TypedOverride[]; config: RepoConfig; onDefaultBranch?: boolean; headRepo?: string | undefined }): TrainInput {
  const { pipeline, gates, report, runner, images, registry, sandbox } = params.config;
  return {
    overrides: [...params.overrides],
    config: { pipeline, gates, report, runner, images, sandbox, ...(registry === undefined ? {} : { registry }) },
    ...(params.onDefaultBranch ? { onDefaultBranch: true as const } : {}),
    ...(params.headRepo === undefined ? {} : { headRepo: params.headRepo }),
  };
}

/** One pull request's training jobs supersede each other. */
export function trainGroup(repo: { owner: string; name: string }, pr: number): string {
  return `${repo.owner}/${repo.name}#${pr}:train`;
}

/** The fact holding the id of a pull request's sticky train comment. */
export function trainStickyKey(repo: { owner: string; name: string }, pr: number): string {
  return `sticky:${repo.owner}/${repo.name}#${pr}:train`;
}

/** The fact holding a train job's remote run handle (a Cloud Run execution), for a restart to follow. */
export function runnerHandleKey(jobId: string): string {
  return `runner-handle:${jobId}`;
}
