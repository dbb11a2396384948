import type { z } from "zod";
import { BUILD_CHECK, buildInputSchema, buildResultSchema } from "./build-job.js";
import { DEPLOY_CHECK, deployInputSchema, deployResultSchema } from "./deploy-job.js";
import { DATA_CHECK, diffInputSchema, diffResultSchema } from "./diff-job.js";
import type { JobKind } from "./job.js";
import { TRAIN_CHECK, trainInputSchema, trainResultSchema } from "./train-job.js";

export interface JobKindSpec {
  /** The check run that shows this kind of job on GitHub. */
  readonly checkName: string;
  readonly input: z.ZodType;
  readonly result: z.ZodType;
}

/** Every job kind, by name: its check run and the schemas its stored input and result must match. */
export const jobKindSpecs = {
  train: { checkName: TRAIN_CHECK, input: trainInputSchema, result: trainResultSchema },
  diff: { checkName: DATA_CHECK, input: diffInputSchema, result: diffResultSchema },
  build: { checkName: BUILD_CHECK, input: buildInputSchema, result: buildResultSchema },
  deploy: { checkName: DEPLOY_CHECK, input: deployInputSchema, result: deployResultSchema },
} as const satisfies Readonly<Record<JobKind, JobKindSpec>>;
