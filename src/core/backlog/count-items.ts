import type { BacklogItem } from "./backlog.js";
import type { ProgressCounts } from "./backlog-progress.js";

/** Done / skipped / open counts and the percentage done of the items in scope. */
export function countItems(items: readonly BacklogItem[]): ProgressCounts {
  let done = 0;
  let skipped = 0;
  let open = 0;
  for (const item of items) {
    if (item.state === "done") done++;
    else if (item.state === "skipped") skipped++;
    else open++;
  }
  const total = done + skipped + open;
  const percent = total === 0 ? null : done + open === 0 ? 100 : Math.floor((done * 100) / (done + open));
  return { total, done, skipped, open, percent };
}
