import type { StatusMeaning } from "./backlog.js";

/**
 * The status emoji recognised on phase headings and `Status:` lines without a legend, written
 * without variation selectors (`✅` and `✅️` are the same). A legend may add more or change
 * their meaning. Documented in README.md.
 */
export const STATUS_EMOJI: Readonly<Record<StatusMeaning, readonly string[]>> = {
  done: ["✅", "✔", "☑", "🟢", "🏁"],
  "in-progress": ["🔄", "🚧", "🟡", "🏗"],
  "not-started": ["⏳", "📋", "⬜", "🔜", "🆕"],
  skipped: ["⏭", "🚫"],
};

/** Drops emoji variation selectors (U+FE0E, U+FE0F) so `⏭️` and `⏭` compare equal. */
export function normalizeMarker(text: string): string {
  return text.replace(/[\uFE0E\uFE0F]/g, "").trim();
}
