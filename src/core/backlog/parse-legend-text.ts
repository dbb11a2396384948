import type { LegendEntry } from "./backlog.js";
import { repairMojibake } from "../text/repair-mojibake.js";
import { classifyStatusWords } from "./classify-status-words.js";
import { normalizeMarker } from "./status-emoji.js";

const segmentSeparator = /\s*(?:[,;|·•]|\n)\s*/;
const legendWord = /^\s*[*_]*(?:status\s+)?legend[*_]*\s*[:：-]?[*_]*\s*/i;
const entry = /^(?:[-*+]\s+)?(?:`?\[([^\]\n]{1,8})\]`?|`([^`\n]{1,8})`|([^\s\w=:→–—()[\]`-][^\s\w=:→–—()[\]`]*))\s*(?:=|:|→|->|–|—|-)?\s*(.+)$/u;

/**
 * Plain text of one legend list item or line -> its entries. Each entry is a marker and the
 * words saying what it means, e.g. `⏭️ = Skipped`, `[-] skipped`, `` `[~]`: deferred ``,
 * `✅ Done`; several per line separated by `,` `;` `|` `·` `•`. A leading `Legend:` is dropped.
 * Entries whose words mean nothing known are left out. Text that was mis-encoded on its way
 * (`‚úÖ = Done ¬∑ ‚è≠Ô∏è = Skipped`: UTF-8 read as Mac Roman) is read repaired (`repairMojibake`),
 * separators included, so its markers match the items' repaired marks.
 */
export function parseLegendText(text: string, line: number): LegendEntry[] {
  const entries: LegendEntry[] = [];
  const source = repairMojibake(text)?.text ?? text;
  for (const segment of source.replace(legendWord, "").split(segmentSeparator)) {
    const match = entry.exec(segment.trim());
    if (!match) continue;
    const bracketed = match[1] !== undefined;
    const raw = match[1] ?? match[2] ?? match[3] ?? "";
    const meaning = classifyStatusWords(match[4] ?? "");
    if (meaning === null) continue;
    const stripped = normalizeMarker(raw);
    entries.push({ marker: stripped === "" ? " " : stripped, bracketed, meaning, text: segment.trim(), line });
  }
  return entries;
}
