import { isKind, type Job, type JobKind, type JobResult, type TerminalJobState } from "../core/jobs/job.js";
import type { ArtifactStore } from "../ports/artifact-store.js";
import type { CheckRunOutput, CodeHost } from "../ports/code-host.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";

export interface JobRunContext {
  readonly host: CodeHost;
  readonly store: JobStore;
  readonly artifacts: ArtifactStore;
  readonly log: Logger;
  /** Aborted on /cancel, on a superseding job, and on shutdown; `signal.reason` says which. */
  readonly signal: AbortSignal;
  /** Shows progress on the check run; throttled by the worker, so call it as often as you like. */
  progress(output: CheckRunOutput): void;
}

export interface JobOutcome {
  readonly state: TerminalJobState;
  readonly reason?: string;
  readonly result?: JobResult | undefined;
}

export interface JobReportContext {
  readonly host: CodeHost;
  readonly store: JobStore;
  readonly artifacts: ArtifactStore;
  readonly log: Logger;
}

/** What one kind of job does (run) and how GitHub shows its end (report). */
export interface JobExecutor {
  readonly kind: JobKind;
  /** The check run's name, e.g. `mlops-bot/train`. */
  readonly checkName: string;
  /** Runs the job; returns how it ended. Throwing counts as a failure with the error's message. */
  run(job: Job, ctx: JobRunContext): Promise<JobOutcome>;
  /**
   * Makes GitHub show the job's final state (check run completed, sticky comment, reaction). Must
   * work for any terminal job, including one recovered after a crash (then only `reason` is set).
   * Called again if it throws, so it must be idempotent.
   */
  report(job: Job, ctx: JobReportContext): Promise<void>;
  /**
   * Whether a running job whose worker is gone can be followed again instead of failed: its work
   * runs elsewhere (a Cloud Run execution) and left a handle. `run` is then called again and
   * resumes from the handle.
   */
  canResume?(job: Job, store: JobStore): Promise<boolean>;
}

type JobOfKind<K extends JobKind> = Extract<Job, { kind: K }>;

/** What one kind's executor implements, on jobs of that kind only. */
export interface KindExecutor<K extends JobKind> {
  readonly checkName: string;
  run(job: JobOfKind<K>, ctx: JobRunContext): Promise<JobOutcome>;
  report(job: JobOfKind<K>, ctx: JobReportContext): Promise<void>;
  canResume?(job: JobOfKind<K>, store: JobStore): Promise<boolean>;
}

/** The executor of one kind: hands it only jobs of that kind (checked, so the worker cannot mix them up). */
export function jobExecutor<K extends JobKind>(kind: K, impl: KindExecutor<K>): JobExecutor {
  const narrow = (job: Job): JobOfKind<K> => {
    if (!isKind(job, kind)) throw new Error(`the ${kind} executor was handed a ${job.kind} job (${job.id})`);
    return job;
  };
  return {
    kind,
    checkName: impl.checkName,
    run: (job, ctx) => impl.run(narrow(job), ctx),
    report: (job, ctx) => impl.report(narrow(job), ctx),
    ...(impl.canResume ? { canResume: (job: Job, store: JobStore) => impl.canResume?.(narrow(job), store) ?? Promise.resolve(false) } : {}),
  };
}
