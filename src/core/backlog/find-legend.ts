import { repairMojibake } from "../text/repair-mojibake.js";
import type { LegendEntry } from "./backlog.js";
import type { Blocks, HeadingBlock } from "./collect-blocks.js";
import { parseLegendText } from "./parse-legend-text.js";
import { readItemBox } from "./read-item-box.js";
import { toPlainText } from "./to-plain-text.js";

export interface Legend {
  readonly entries: readonly LegendEntry[];
  /** True for a top-level block (by root index) that belongs to a legend: its list items are not tasks. */
  readonly inLegend: (root: number) => boolean;
  readonly isLegendHeading: (heading: HeadingBlock) => boolean;
}

/** `Legend`, `Status legend`, `📖 Legend:`; not `Phase 4: Plot legends` or `Legend migration`. */
const legendHeading = /^[^\p{L}\p{N}]*(?:(?:status|emoji|item|checkbox|symbols?)\s+)?legend[^\p{L}\p{N}]*$/iu;
const legendParagraph = /^\s*(?:status\s+)?legend\b/i;

/**
 * The legend: every block under a heading that is just "Legend" (also "Status legend",
 * with punctuation or emoji around it; up to the
 * next heading of the same or a higher level), and every paragraph that starts with
 * `Legend` (`**Legend**: ✅ = Done · ⏭️ = Skipped`) together with a list right below it.
 * Each list item and each line gives entries (see `parseLegendText`); a legend list item
 * may be a checkbox itself: `- [⏭️] Skipped`.
 */
export function findLegend(body: string, blocks: Blocks, offsetBase: number): Legend {
  const ranges: Array<readonly [number, number]> = [];
  blocks.headings.forEach((heading, i) => {
    if (!isLegendHeading(heading)) return;
    const next = blocks.headings.slice(i + 1).find((h) => h.depth <= heading.depth);
    ranges.push([heading.root + 1, next?.root ?? Infinity]);
  });
  const inRange = (root: number) => ranges.some(([from, to]) => root >= from && root < to);

  const entries: LegendEntry[] = [];
  const legendLists = new Set<number>();
  for (const paragraph of blocks.paragraphs) {
    const starts = legendParagraph.test(paragraph.text);
    if (!starts && !inRange(paragraph.root)) continue;
    const found = parseLegendText(paragraph.text, paragraph.line);
    entries.push(...found);
    // `**Legend:**` alone on its line: the list right below is the legend.
    if (starts && found.length === 0) legendLists.add(paragraph.root + 1);
  }
  const inLegend = (root: number) => inRange(root) || legendLists.has(root);
  for (const item of blocks.listItems) {
    if (!inLegend(item.root)) continue;
    const paragraph = item.node.children[0];
    if (paragraph?.type !== "paragraph") continue;
    const box = readItemBox(body, item.node, offsetBase);
    const text = (box?.checkbox ? `[${box.mark}] ` : "") + toPlainText(paragraph);
    entries.push(...parseLegendText(text, item.line));
  }
  return { entries, inLegend, isLegendHeading };
}

/** `📖 Legend`, also when mis-encoded on its way (`üìñ Legend`, UTF-8 read as Mac Roman). */
function isLegendHeading(heading: HeadingBlock): boolean {
  if (legendHeading.test(heading.text)) return true;
  const repaired = /legend/i.test(heading.text) ? repairMojibake(heading.text) : null;
  return repaired !== null && legendHeading.test(repaired.text);
}
