import type { NewJob } from "../../core/jobs/job.js";

/**
 * The `jobs` table's columns and the job record's fields, named once for the SQL stores (SQLite
 * and PostgreSQL): what each store does differently (JSON text or JSONB, 0/1 or booleans) it
 * passes in. The record that comes back is still unknown data for `parseStoredJob`.
 */
export function newJobColumns(job: NewJob, encodeInput: (input: unknown) => unknown): Record<string, unknown> {
  return {
    kind: job.kind,
    key: job.key,
    grp: job.group,
    owner: job.repo.owner,
    repo: job.repo.name,
    installation_id: job.repo.installationId,
    pr: job.pr,
    head_sha: job.headSha,
    head_ref: job.headRef,
    base_ref: job.baseRef,
    base_sha: job.baseSha,
    requested_by: job.requestedBy,
    comment_id: job.commentId,
    input: encodeInput(job.input),
  };
}

/** The values a store decodes in its own way: the JSON columns and the two flags. */
export interface DecodedColumns {
  readonly input: unknown;
  readonly result: unknown;
  readonly cancelRequested: unknown;
  readonly reported: unknown;
}

/** A row's columns -> the fields of a stored job's record, before its kind's schemas parse it. */
export function columnsToRecord(row: Readonly<Record<string, unknown>>, decoded: DecodedColumns): Record<string, unknown> {
  return {
    kind: row.kind,
    key: row.key,
    group: row.grp,
    state: row.state,
    repo: { owner: row.owner, name: row.repo, installationId: row.installation_id },
    pr: row.pr,
    headSha: row.head_sha,
    headRef: row.head_ref,
    baseRef: row.base_ref,
    baseSha: row.base_sha,
    requestedBy: row.requested_by,
    commentId: row.comment_id,
    checkRunId: row.check_run_id,
    reason: row.reason,
    worker: row.worker,
    leaseExpiresAt: row.lease_expires_at,
    claim: row.claim,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    ...decoded,
  };
}
