import { isKind, isReadable, type Job, type JobKind, type StoredJob } from "../../src/core/jobs/job.js";
import { formatProblem } from "../../src/core/problem.js";
import type { TrainingResult } from "../../src/core/train/training-result.js";

/** The job, checked to be readable and of `kind` (a test fails with what is wrong otherwise). */
export function jobOfKind<K extends JobKind>(job: StoredJob | undefined, kind: K): Extract<Job, { kind: K }> {
  if (!job) throw new Error(`expected a ${kind} job, got none`);
  if (!isReadable(job)) throw new Error(`expected a ${kind} job, got a damaged record: ${formatProblem(job.problem)}`);
  if (!isKind(job, kind)) throw new Error(`expected a ${kind} job, got a ${job.kind} job`);
  return job;
}

/** The result of a readable train job; fails when it has none. */
export function trainResultOf(job: StoredJob | undefined): TrainingResult {
  const { result } = jobOfKind(job, "train");
  if (result === null) throw new Error(`the train job ${job?.id ?? ""} has no result`);
  return result;
}
