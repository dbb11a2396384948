import { repairMojibake } from "../text/repair-mojibake.js";
import { misDecodeUtf8 } from "../text/single-byte-encodings.js";
import type { LegendEntry, MarkRepair } from "./backlog.js";
import { findStatusEmoji, type StatusEmojiMatch } from "./find-status-emoji.js";

export interface StatusEmojiInText {
  /** The text the match is in: `text` as given, or repaired when the emoji was mis-encoded. */
  readonly text: string;
  readonly match: StatusEmojiMatch;
  readonly repaired: MarkRepair | null;
}

/**
 * `findStatusEmoji`, and when the text has none, the same on the text repaired from mojibake
 * (`Phase 1: Data ‚úÖ`, UTF-8 read as Mac Roman -> `Phase 1: Data ✅`; see `repairMojibake`).
 * The repaired text is used only when it holds a status emoji.
 */
export function findStatusEmojiRepairing(text: string, legend: readonly LegendEntry[]): StatusEmojiInText | null {
  const direct = findStatusEmoji(text, legend);
  if (direct) return { text, match: direct, repaired: null };
  const fixed = repairMojibake(text);
  const match = fixed ? findStatusEmoji(fixed.text, legend) : null;
  if (!fixed || !match) return null;
  return { text: fixed.text, match, repaired: { written: misDecodeUtf8(match.emoji, fixed.encoding), read: match.emoji, encoding: fixed.encoding } };
}
