import type { FencedWrite, Outbox } from "./outbox.js";
import type { JobKind, JobResult, JobState, NewJob, StoredJob, TerminalJobState } from "../core/jobs/job.js";

export interface JobFilter {
  readonly state?: JobState | readonly JobState[];
  readonly kind?: JobKind;
  readonly group?: string;
  readonly repo?: { readonly owner: string; readonly name: string };
  readonly headRef?: string;
  readonly reported?: boolean;
}

export interface TransitionPatch {
  readonly reason?: string | null;
  readonly result?: JobResult | undefined;
}

/** What `finish` did: the job as it ended, or nothing because the caller no longer held the claim. */
export type FinishResult = { readonly status: "written"; readonly job: StoredJob } | { readonly status: "lost-claim" };

/**
 * Durable job queue and the bot's small bits of state. Every job read back is parsed with its
 * kind's schema (`parseStoredJob`): a damaged record comes back as an `UnreadableJob` that says
 * what is wrong, never as a throw or an unchecked value. Every state change is a compare-and-swap
 * on the current state, so two workers never both move one job. Claims may be leases (see
 * `claimNext`), so a job whose worker died is recovered by another one.
 */
export interface JobStore {
  /** Creates the job unless one with the same key exists; then returns that one. */
  enqueue(job: NewJob): Promise<{ job: StoredJob; created: boolean }>;
  get(id: string): Promise<StoredJob | undefined>;
  /** Jobs matching the filter, oldest first. */
  list(filter: JobFilter): Promise<StoredJob[]>;
  /**
   * Moves the oldest queued job (of the given kinds) to running for this worker, atomically, with
   * a new `claim` (fencing token). With `leaseMs`, the claim is a lease: it holds until
   * `leaseExpiresAt` unless the worker renews it.
   */
  claimNext(params: { worker: string; kinds: readonly JobKind[]; leaseMs?: number }): Promise<StoredJob | undefined>;
  /**
   * Extends the lease of a running job to now + `leaseMs` while `claim` is still its claim; false
   * when it is not (the job ended, or its lease expired and another worker took it over).
   */
  renewLease?(params: { id: string; claim: string; leaseMs: number }): Promise<boolean>;
  /**
   * Takes over every running job whose lease expired (its worker stopped renewing: the process
   * died, or lost the store): each stays running, leased to `worker` for `leaseMs` with a new
   * `claim` (the same one when it was this worker's already), and that worker alone then resumes
   * it or fails it. Checked against the stored lease at write time, so a lease renewed meanwhile
   * is never taken. Returns the jobs taken over.
   */
  claimExpired?(params: { worker: string; leaseMs: number }): Promise<StoredJob[]>;
  /**
   * Lets one worker report an ended, unreported job: true when this worker holds the job's
   * report lease now (it was free, had lapsed, or is already this worker's), so two instances
   * never report one end at once (two sticky comments). The lease lapses after `leaseMs`, so a
   * report a worker could not finish is retried by any worker.
   */
  claimReport?(params: { id: string; worker: string; leaseMs: number }): Promise<boolean>;
  /**
   * Marks an ended job reported for the holder of its report lease (`claimReport`, kept by the
   * worker's id): `lost-claim`, and nothing written, when another worker took the report over
   * since (this one's lease lapsed while it was slow), so a stale reporter never marks done an
   * end whose current reporter may still fail and retry.
   */
  markReported?(params: { id: string; worker: string }): Promise<FencedWrite>;
  /**
   * True when processes on several hosts share the store: a worker id's host and pid then prove
   * nothing (two containers may both be `localhost:1`), so only an expired lease means a dead worker.
   */
  readonly shared?: boolean;
  /**
   * Calls `listener` soon after any process sharing the store enqueues a job or requests a cancel,
   * so workers start at once instead of on their next poll; returns the function that stops it.
   * Stores that cannot tell leave it out (their workers poll often). Delivery is best effort:
   * workers still poll, more slowly, for what a lost notification would have said.
   */
  watch?(listener: () => void): () => void;
  /**
   * Moves a job from `from` to `to` if it is still in `from` and the move is allowed; returns
   * the updated job, or `undefined` when another party moved it first. Disallowed moves throw.
   */
  transition(id: string, from: JobState, to: JobState, patch?: TransitionPatch): Promise<StoredJob | undefined>;
  /**
   * Ends a running job for the holder of its claim: moves it to `to` with the outcome only while
   * `claim` is still the job's and it is still running, in one conditional write. A holder whose
   * lease lapsed and whose job another worker took over (or ended) gets `lost-claim`, and nothing
   * is written: the current holder's outcome stands.
   */
  finish(params: { id: string; claim: string; to: TerminalJobState; reason?: string | null; result?: JobResult | undefined }): Promise<FinishResult>;
  /** Sets bookkeeping fields that are not state: the check run, the cancel request, `reported`. */
  update(id: string, patch: { checkRunId?: number; cancelRequested?: boolean; reported?: boolean; reason?: string }): Promise<StoredJob>;
  /**
   * Records that a command (by idempotency key) was handled; false when it already was, so a
   * redelivered webhook does nothing twice.
   */
  markCommandSeen(key: string): Promise<boolean>;
  /** Forgets a command mark, so a redelivery may retry a command that failed before it acted. */
  forgetCommand(key: string): Promise<void>;
  /**
   * Where commands' answers wait until GitHub has them (every store has one). A store without one
   * (a test double) answers directly, and a command whose answer failed is forgotten, so a
   * redelivery answers it.
   */
  readonly outbox?: Outbox;
  /** Small key-value facts (sticky comment ids, fork approvals). */
  getFact(key: string): Promise<string | undefined>;
  setFact(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

export type { TerminalJobState };
