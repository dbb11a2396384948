import type { BacklogItem } from "./backlog.js";

/**
 * A short name for an item in sentences: `[AI] 2.6` when it has a number, else its title
 * in quotes (cut at 60 characters).
 */
export function describeItem(item: Pick<BacklogItem, "role" | "number" | "title">): string {
  if (item.number !== null) return item.role ? `[${item.role}] ${item.number}` : item.number;
  const title = item.title.length > 60 ? `${item.title.slice(0, 59)}…` : item.title;
  return `${item.role ? `[${item.role}] ` : ""}"${title}"`;
}
