import { createHash } from "node:crypto";
import type { CodeHost } from "../../ports/code-host.js";
import type { JobStore } from "../../ports/job-store.js";
import { BACKLOG_PROGRESS_MARKER } from "../../report/backlog/render-backlog-progress.js";

/** What the store remembers per backlog issue: the sticky comment, what it says, and how recent. */
interface ProgressFact {
  readonly comment?: number;
  /** sha256 of the comment body last written. */
  readonly hash?: string;
  /** `updated_at` of the newest issue event handled. */
  readonly updatedAt?: string;
}

export type ProgressUpdate = "written" | "unchanged" | "stale-event";

/**
 * Keeps the sticky progress comment of one backlog issue: no API call when the rendered body is
 * the one last written (a hash in the store's facts), one edit when the comment id is known,
 * else a search by marker and an edit or a create. An event older than one already handled
 * (`updatedAt`; GitHub may deliver out of order) writes nothing and says so: a newer body won.
 */
export async function upsertBacklogProgress(params: {
  host: CodeHost;
  store: JobStore;
  issueNumber: number;
  body: string;
  updatedAt: string;
}): Promise<ProgressUpdate> {
  const { host, store, issueNumber, body, updatedAt } = params;
  const key = `backlog:${host.owner}/${host.repo}#${issueNumber}`;
  const fact = readFact(await store.getFact(key));
  if (fact.updatedAt !== undefined && updatedAt < fact.updatedAt) return "stale-event";
  const hash = createHash("sha256").update(body).digest("hex");
  if (fact.comment !== undefined && fact.hash === hash) {
    if (updatedAt !== fact.updatedAt) await store.setFact(key, JSON.stringify({ ...fact, updatedAt }));
    return "unchanged";
  }
  const comment = await host.upsertStickyComment({ issueNumber, marker: BACKLOG_PROGRESS_MARKER, body, knownId: fact.comment });
  await store.setFact(key, JSON.stringify({ comment, hash, updatedAt } satisfies ProgressFact));
  return "written";
}

function readFact(text: string | undefined): ProgressFact {
  if (text === undefined) return {};
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    return {
      ...(typeof value.comment === "number" ? { comment: value.comment } : {}),
      ...(typeof value.hash === "string" ? { hash: value.hash } : {}),
      ...(typeof value.updatedAt === "string" ? { updatedAt: value.updatedAt } : {}),
    };
  } catch {
    return {};
  }
}
