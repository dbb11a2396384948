import type { Problem } from "../problem.js";
import type { TrainingResult } from "../train/training-result.js";
import type { BuildInput, BuildResult } from "./build-job.js";
import type { DeployInput, DeployResult } from "./deploy-job.js";
import type { DiffInput, DiffResult } from "./diff-job.js";
import type { TrainInput } from "./train-job.js";

/** A unit of queued work: one command's run. Stored by a `JobStore`, moved through `job-states`. */
export const jobKinds = ["train", "diff", "build", "deploy"] as const;
export type JobKind = (typeof jobKinds)[number];

export const jobStates = ["queued", "running", "succeeded", "failed", "cancelled", "timed_out"] as const;
export type JobState = (typeof jobStates)[number];
export type TerminalJobState = Exclude<JobState, "queued" | "running">;

export interface JobRepo {
  readonly owner: string;
  readonly name: string;
  readonly installationId: number;
}

/** What every job has, whatever its kind: the envelope a store keeps around the kind's input and result. */
export interface JobFields {
  readonly id: string;
  /** Idempotency key: the same key never makes a second job (comment id + command index). */
  readonly key: string;
  /** Jobs in one group supersede each other (a newer /train on the same PR). */
  readonly group: string | null;
  readonly state: JobState;
  readonly repo: JobRepo;
  readonly pr: number | null;
  readonly headSha: string;
  readonly headRef: string | null;
  readonly baseRef: string | null;
  readonly baseSha: string | null;
  readonly requestedBy: string;
  /** The comment that asked for the job (for reactions), if any. */
  readonly commentId: number | null;
  readonly checkRunId: number | null;
  /** Why the job ended the way it did, in words a user can read. */
  readonly reason: string | null;
  readonly cancelRequested: boolean;
  /** True once GitHub shows the job's final state (check run completed, comment, reaction). */
  readonly reported: boolean;
  readonly worker: string | null;
  /** While running under a lease: when the claim lapses unless the worker renews it (ms epoch). */
  readonly leaseExpiresAt?: number | null;
  /**
   * The fencing token of the current claim: new whenever another worker claims the job
   * (`claimNext`, `claimExpired`). Its holder's renewals and its end (`JobStore.finish`) are
   * written only while it is still the job's.
   */
  readonly claim?: string | null;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

/** A job of one kind: its command input, and what it produced once it ended (null before, or when nothing was). */
interface JobOf<K extends JobKind, I, R> extends JobFields {
  readonly kind: K;
  readonly input: I;
  readonly result: R | null;
}

export type TrainJob = JobOf<"train", TrainInput, TrainingResult>;
export type DiffJob = JobOf<"diff", DiffInput, DiffResult>;
export type BuildJob = JobOf<"build", BuildInput, BuildResult>;
export type DeployJob = JobOf<"deploy", DeployInput, DeployResult>;
export type Job = TrainJob | DiffJob | BuildJob | DeployJob;
export type JobResult = NonNullable<Job["result"]>;

/**
 * A stored job whose record does not parse (its input, its result, or the record itself is
 * damaged): the envelope as far as it could be read, and what is wrong. Never run; the worker
 * ends and reports it with the problem.
 */
export interface UnreadableJob extends JobFields {
  /** Null when the kind itself is unreadable. */
  readonly kind: JobKind | null;
  readonly input: unknown;
  readonly result: unknown;
  readonly problem: Problem;
  /**
   * What is damaged: the envelope itself (`record`: then its repository, commit or check run
   * cannot be trusted, so nothing is sent to GitHub), or only the kind's `input` or `result`.
   */
  readonly damage: "record" | "input" | "result";
}

/** What a store gives back: a job, or a record it could not read. */
export type StoredJob = Job | UnreadableJob;

export function isReadable(job: StoredJob): job is Job {
  return !("problem" in job);
}

export function isKind<K extends JobKind>(job: Job, kind: K): job is Extract<Job, { kind: K }> {
  return job.kind === kind;
}

type NewJobOf<J> = J extends Job
  ? Pick<J, "kind" | "key" | "group" | "repo" | "pr" | "headSha" | "headRef" | "baseRef" | "baseSha" | "requestedBy" | "commentId" | "input">
  : never;
/** What a command asks a store to queue: one kind's envelope and input. */
export type NewJob = NewJobOf<Job>;

type CommandOf<J> = J extends NewJob ? Pick<J, "kind" | "input"> : never;
/** A job's kind and input, together (to queue the same command again). */
export type JobCommand = CommandOf<NewJob>;

export function commandOf(job: Job): JobCommand {
  switch (job.kind) {
    case "train":
      return { kind: "train", input: job.input };
    case "diff":
      return { kind: "diff", input: job.input };
    case "build":
      return { kind: "build", input: job.input };
    case "deploy":
      return { kind: "deploy", input: job.input };
  }
}
