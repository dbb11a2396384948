import type { HeadingBlock } from "./collect-blocks.js";

export interface HeadingFacts {
  readonly block: HeadingBlock;
  readonly legend: boolean;
  /** `Phase N:` (or Stage, Milestone, Sprint) heading. */
  readonly numbered: boolean;
  readonly role: string | null;
  /** Checklist items between this heading and the next one of the same or a higher level. */
  readonly tasks: number;
}

/**
 * The heading depth whose headings are phases: the shallowest depth with a `Phase N:`
 * heading; else the shallowest depth at which two or more headings hold items (so a
 * `# Title` above `## Data` and `## Model` is not the phase), else the shallowest holding
 * any; null when no heading holds an item. Role headings (`### [AI] Tasks`) are sections and
 * never decide the depth.
 */
export function choosePhaseDepth(headings: readonly HeadingFacts[]): number | null {
  const numbered = headings.filter((h) => h.numbered && !h.legend).map((h) => h.block.depth);
  if (numbered.length > 0) return Math.min(...numbered);
  const holding = headings.filter((h) => !h.legend && h.role === null && h.tasks > 0);
  for (const enough of [2, 1]) {
    for (let depth = 1; depth <= 6; depth++) {
      if (holding.filter((h) => h.block.depth === depth).length >= enough) return depth;
    }
  }
  return null;
}
