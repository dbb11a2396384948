import type { LegendEntry, MarkRepair, StatusMeaning } from "./backlog.js";
import { findStatusEmojiRepairing } from "./find-status-emoji-repairing.js";

export interface PhaseHeading {
  /** True for `Phase 2: …` (also `Stage`, `Milestone`, `Sprint`). */
  readonly numbered: boolean;
  readonly number: string | null;
  readonly title: string;
  readonly name: string;
  readonly status: { readonly emoji: string; readonly meaning: StatusMeaning; readonly repaired?: MarkRepair } | null;
}

const phasePrefix = /^(?:phase|stage|milestone|sprint)\s+(\d+(?:\.\d+)*[a-z]?)(?=$|[\s:.)–—-])\s*(?:[:.)–—-]\s*)?/i;

/**
 * Plain text of a heading -> phase number, title and status emoji:
 * `Phase 2: GCP & Terraform Infrastructure 🔄` -> `2`, `Phase 2: GCP & Terraform
 * Infrastructure`, name `GCP & Terraform Infrastructure`, in-progress. The status emoji may
 * stand anywhere in the heading (usually first or last); it is cut out of the title. A heading
 * whose status emoji was mis-encoded (`Phase 1: Data ‚úÖ`) is read repaired, title included.
 */
export function parsePhaseHeading(text: string, legend: readonly LegendEntry[]): PhaseHeading {
  const found = findStatusEmojiRepairing(text, legend);
  const withoutStatus = found ? `${found.text.slice(0, found.match.start)} ${found.text.slice(found.match.end)}` : text;
  const title = withoutStatus
    .replace(/\(\s*\)|\[\s*\]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\s*[-–—:|]$/, "")
    .trim();
  const match = phasePrefix.exec(title);
  const status = found ? { emoji: found.match.emoji, meaning: found.match.meaning, ...(found.repaired ? { repaired: found.repaired } : {}) } : null;
  if (!match?.[1]) return { numbered: false, number: null, title, name: title, status };
  const name = title.slice(match[0].length).trim();
  return { numbered: true, number: match[1], title, name: name === "" ? title : name, status };
}
