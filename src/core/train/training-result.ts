import { z } from "zod";
import { runCostSchema, runResourcesSchema } from "../costs/run-resources.js";
import { typedOverrideSchema } from "../overrides/typed-override-schema.js";
import { plotComparisonSchema } from "../plots/plot-comparison.js";

/** The MLflow run the bot made for a job (and the base's, when there is one to compare with). */
export const trackedRunResultSchema = z.object({
  runId: z.string(),
  experimentId: z.string(),
  runUrl: z.string(),
  /** The base branch's last run, and the tracker's page comparing it with this one. */
  baseRunId: z.string().optional(),
  compareUrl: z.string().optional(),
  /** Why the run could not be made or ended (the job ran anyway). */
  problem: z.string().optional(),
});

/** Files by repository path -> text. */
export const fileTextsSchema = z.record(z.string(), z.string());
export type FileTexts = z.output<typeof fileTextsSchema>;

export const runOutcomes = ["succeeded", "failed", "timed_out", "cancelled"] as const;

/**
 * What a training run produced: stored as the train job's result, compared and rendered by the
 * report. Loose: keys this bot does not know (written by a newer one) are kept, not dropped.
 */
export const trainingResultSchema = z.looseObject({
  outcome: z.enum(runOutcomes),
  durationMs: z.number().nonnegative(),
  headSha: z.string(),
  overrides: z.array(typedOverrideSchema).readonly(),
  head: z.object({ metrics: fileTextsSchema, params: fileTextsSchema }),
  base: z.object({
    /** Where the base numbers came from: the base commit's files, an earlier run, or nowhere. */
    source: z.enum(["commit", "run", "none"]),
    ref: z.string().nullable(),
    sha: z.string().nullable(),
    metrics: fileTextsSchema,
    params: fileTextsSchema,
  }),
  /** Keys of the stored artifacts (log, plots, metrics). */
  artifacts: z.array(z.string()).readonly(),
  logKey: z.string(),
  /** The last lines of output, kept for failures. */
  logTail: z.array(z.string()).readonly(),
  failingStage: z.string().optional(),
  error: z.string().optional(),
  /** Outputs that were not collected, and why (a link, a file too large): shown in the report. */
  outputNotes: z.array(z.string()).readonly().optional(),
  /** The DVC plots of the run against the base's (absent: the run did not succeed, or predates plots). */
  plots: plotComparisonSchema.optional(),
  /** The model file the run wrote (`pipeline.model`), as stored: what a promotion serves (absent: none, or the run failed). */
  model: z.object({ key: z.string(), path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() }).optional(),
  /** The MLflow run the job logged to (absent: no tracking server configured). */
  mlflow: trackedRunResultSchema.optional(),
  /** What the run occupied (runner, wall time, vCPUs, memory, GPU); absent from runs of older bots. */
  resources: runResourcesSchema.optional(),
  /** Its estimated cost at the prices of the day (`MLOPS_PRICES`); absent where not estimated (the CLI). */
  cost: runCostSchema.optional(),
});

export type TrainingResult = z.output<typeof trainingResultSchema>;
