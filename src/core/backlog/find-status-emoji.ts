import type { LegendEntry, StatusMeaning } from "./backlog.js";
import { normalizeMarker, STATUS_EMOJI } from "./status-emoji.js";

export interface StatusEmojiMatch {
  /** As written, variation selector included. */
  readonly emoji: string;
  readonly meaning: StatusMeaning;
  readonly start: number;
  readonly end: number;
}

const pictographic = /\p{Extended_Pictographic}/u;

/**
 * The first status emoji in `text`: the built-in set (`STATUS_EMOJI`) plus the legend's bare
 * emoji entries (`⏭️ = Skipped`), the legend winning where both define one. Legend markers
 * without an emoji (`-`, `~`) are item marks only, never heading statuses.
 */
export function findStatusEmoji(text: string, legend: readonly LegendEntry[] = []): StatusEmojiMatch | null {
  const meanings = new Map<string, StatusMeaning>();
  for (const [meaning, emoji] of Object.entries(STATUS_EMOJI) as Array<[StatusMeaning, readonly string[]]>) {
    for (const e of emoji) meanings.set(e, meaning);
  }
  for (const entry of legend) {
    if (pictographic.test(entry.marker)) meanings.set(entry.marker, entry.meaning);
  }
  // Longest first, so a multi-code-point legend marker wins over its first emoji.
  const alternatives = [...meanings.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?:${alternatives.join("|")})[\\uFE0E\\uFE0F]?`, "u");
  const match = pattern.exec(text);
  if (!match) return null;
  const meaning = meanings.get(normalizeMarker(match[0]));
  if (meaning === undefined) return null;
  return { emoji: match[0], meaning, start: match.index, end: match.index + match[0].length };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
