import type { ArtifactStore } from "../ports/artifact-store.js";
import type { JobStore } from "../ports/job-store.js";
import type { Logger } from "../ports/logger.js";
import type { LinkSigner } from "./link-signer.js";
import type { LiveLogs } from "./live-logs.js";

/** What the job pages read: the job store, the stored artifacts, this process's live output. */
export interface WebDeps {
  readonly store: Pick<JobStore, "get" | "list">;
  readonly artifacts: Pick<ArtifactStore, "get">;
  readonly live: LiveLogs;
  readonly signer: LinkSigner;
  /** Removes every known secret value (the same redaction as the logs). */
  readonly redact: (text: string) => string;
  /** How often an open page's stream checks the job's state; default 1 s. */
  readonly pollMs?: number;
  readonly log?: Logger;
}

/** Where a job's log is stored before its result names it (the executors' convention). */
export function defaultLogKey(jobId: string): string {
  return `jobs/${jobId}/log.txt`;
}
