import { randomUUID } from "node:crypto";
import { commandOf, isReadable, type StoredJob, type UnreadableJob } from "../core/jobs/job.js";
import { isTerminal } from "../core/jobs/job-states.js";
import type { JobStore } from "../ports/job-store.js";
import { cancelGroup } from "./cancel-group.js";

export type RetryJobOutcome =
  | { readonly outcome: "queued"; readonly job: StoredJob; readonly original: StoredJob }
  | { readonly outcome: "not-ended"; readonly original: StoredJob }
  /** The original's stored record is damaged, so its command cannot be known. */
  | { readonly outcome: "unreadable"; readonly original: UnreadableJob }
  | { readonly outcome: "missing" };

/**
 * Queues an ended job's command again: same kind, commit, refs and input, for the same requester
 * (the reports mention who asked; an operator is nobody on GitHub), under a new key
 * `retry:<id>:<uuid>`. Like a re-run button, it supersedes the other open jobs of its group. The
 * worker creates the check run when it reports the end. A job still queued or running is left
 * alone: cancel it first.
 */
export async function retryJob(params: { store: JobStore; id: string; supersededBecause: string }): Promise<RetryJobOutcome> {
  const { store, id } = params;
  const original = await store.get(id);
  if (!original) return { outcome: "missing" };
  if (!isTerminal(original.state)) return { outcome: "not-ended", original };
  if (!isReadable(original)) return { outcome: "unreadable", original };
  const { job } = await store.enqueue({
    ...commandOf(original),
    key: `retry:${original.id}:${randomUUID()}`,
    group: original.group,
    repo: original.repo,
    pr: original.pr,
    headSha: original.headSha,
    headRef: original.headRef,
    baseRef: original.baseRef,
    baseSha: original.baseSha,
    requestedBy: original.requestedBy,
    commentId: null,
  });
  if (job.group) await cancelGroup({ store, group: job.group, keep: job.id, reason: params.supersededBecause });
  return { outcome: "queued", job, original };
}
