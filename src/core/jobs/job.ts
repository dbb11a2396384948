/** A unit of queued work: one command's run. Stored by a `JobStore`, moved through `job-states`. */
export const jobKinds = ["train", "diff", "build"] as const;
export type JobKind = (typeof jobKinds)[number];

export const jobStates = ["queued", "running", "succeeded", "failed", "cancelled", "timed_out"] as const;
export type JobState = (typeof jobStates)[number];
export type TerminalJobState = Exclude<JobState, "queued" | "running">;

export interface JobRepo {
  readonly owner: string;
  readonly name: string;
  readonly installationId: number;
}

export interface Job {
  readonly id: string;
  readonly kind: JobKind;
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
  /** Command input, e.g. `{ overrides: [{ key, value }] }`. JSON. */
  readonly input: Readonly<Record<string, unknown>>;
  readonly checkRunId: number | null;
  /** Why the job ended the way it did, in words a user can read. */
  readonly reason: string | null;
  /** What the job produced (metrics, params, image digests...). JSON. */
  readonly result: unknown;
  readonly cancelRequested: boolean;
  /** True once GitHub shows the job's final state (check run completed, comment, reaction). */
  readonly reported: boolean;
  readonly worker: string | null;
  /** While running under a lease: when the claim lapses unless the worker renews it (ms epoch). */
  readonly leaseExpiresAt?: number | null;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

export type NewJob = Pick<
  Job,
  "kind" | "key" | "group" | "repo" | "pr" | "headSha" | "headRef" | "baseRef" | "baseSha" | "requestedBy" | "commentId" | "input"
>;
