import type { JobStore } from "../ports/job-store.js";

/** The fact holding when the bot first saw a commit as a pull request's head. */
export function headSeenKey(params: { owner: string; repo: string; pr: number; sha: string }): string {
  return `head-seen:${params.owner}/${params.repo}#${params.pr}@${params.sha}`;
}

/**
 * Records that the bot saw `sha` as the head of a pull request at `at` (a `pull_request` event's
 * own time, or now for the bot's own reads), keeping the earliest sighting. Returns that
 * earliest time: when the commit became something a maintainer could have seen.
 */
export async function recordHeadSeen(store: JobStore, params: { owner: string; repo: string; pr: number; sha: string; at: Date }): Promise<Date> {
  const key = headSeenKey(params);
  const stored = await store.getFact(key);
  const before = stored ? new Date(stored) : undefined;
  if (before && !Number.isNaN(before.getTime()) && before <= params.at) return before;
  await store.setFact(key, params.at.toISOString());
  return params.at;
}
