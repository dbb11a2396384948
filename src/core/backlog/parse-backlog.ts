import type { Root } from "mdast";
import type { Backlog, BacklogItem, BacklogPhase, BacklogWarning } from "./backlog.js";
import { repairMojibake } from "../text/repair-mojibake.js";
import { BacklogWalk, type BacklogEvent, type BacklogHeading } from "./backlog-walk.js";
import { checkBacklogShape } from "./check-backlog-shape.js";
import { choosePhaseDepth } from "./choose-phase-depth.js";
import { collectBlocks, type HeadingBlock } from "./collect-blocks.js";
import { findLegend } from "./find-legend.js";
import { findTasks } from "./find-tasks.js";
import { readMarkdownBlocks } from "../markdown/read-blocks.js";
import { parsePhaseHeading } from "./parse-phase-heading.js";
import { parseRoleTag } from "./parse-role-tag.js";

/**
 * Issue body -> backlog: phases, sections, checklist items with their states and source
 * positions, the issue's legend. Pure; never throws: a body that cannot be read gives an empty
 * backlog with a warning, and so does one past `BACKLOG_SHAPE_LIMITS` (too many lines, nested too
 * deep), which is not parsed at all. The format is described in README.md beside this file.
 */
export function parseBacklog(body: string): Backlog {
  const tooBig = checkBacklogShape(body);
  return tooBig ? unreadable(tooBig) : parseShapedBacklog(body);
}

/** `parseBacklog` of a body whose shape the caller has already checked (`checkBacklogShape`, its own limits). */
export function parseShapedBacklog(body: string): Backlog {
  try {
    const { tree, offsetBase } = readMarkdownBlocks(body);
    return backlogFromTree(body, tree, offsetBase);
  } catch (error) {
    return unreadable(error instanceof Error ? error.message : String(error));
  }
}

function unreadable(reason: string): Backlog {
  const message = `The issue body could not be read as a backlog (${reason}); no items were counted.`;
  return { phases: [], sections: [], items: [], legend: [], warnings: [{ line: null, message }] };
}

/** The backlog in `tree`, a GFM syntax tree of `body` (offsets plus `offsetBase` index `body`). */
export function backlogFromTree(body: string, tree: Root, offsetBase: number): Backlog {
  const blocks = collectBlocks(tree);
  const { entries: legend, inLegend, isLegendHeading } = findLegend(body, blocks, offsetBase);
  const tasks = findTasks({ body, listItems: blocks.listItems, legend, inLegend, offsetBase });
  const ends = regionEnds(blocks.headings);
  const taskRoots = tasks.map((t) => t.block.root);
  const headings: BacklogHeading[] = blocks.headings.map((block, i) => {
    const phase = parsePhaseHeading(block.text, legend);
    return {
      block,
      legend: isLegendHeading(block),
      numbered: phase.numbered,
      phase,
      role: parseRoleTag(block.text, { trailing: true }).role,
      tasks: countBetween(taskRoots, block.root, ends[i] ?? Infinity),
    };
  });
  const events: BacklogEvent[] = [
    ...headings.map((heading) => ({ kind: "heading" as const, root: heading.block.root, order: 0, heading })),
    ...blocks.paragraphs.map((p) => ({ kind: "paragraph" as const, root: p.root, order: 0, text: p.text, line: p.line })),
    ...tasks.map((task, order) => ({ kind: "task" as const, root: task.block.root, order, task })),
  ].sort((a, b) => a.root - b.root || a.order - b.order);

  const walk = new BacklogWalk({ legend, listItems: blocks.listItems, phaseDepth: choosePhaseDepth(headings), offsetBase });
  for (const event of events) walk.take(event);
  const { phases, sections, items: walked } = walk.result();
  const items = repairItemTitles(phases, walked);
  return { phases, sections, items, legend, warnings: unknownMarkWarnings(items) };
}

/**
 * When status marks show the body was mis-encoded on its way (UTF-8 read as Mac Roman or
 * Windows-1252), item titles are shown as they were written too (`Donn√©es` -> `Données`),
 * repaired only in the encoding the marks were. `text` keeps the body's characters: ticking
 * matches items by it.
 */
function repairItemTitles(phases: readonly BacklogPhase[], items: BacklogItem[]): BacklogItem[] {
  const encodings = new Set([...phases.flatMap((p) => p.statuses), ...items].flatMap((m) => (m.repaired ? [m.repaired.encoding] : [])));
  if (encodings.size === 0) return items;
  return items.map((item) => {
    const repaired = repairMojibake(item.title);
    return repaired && encodings.has(repaired.encoding) ? { ...item, title: repaired.text } : item;
  });
}

/** For each heading, the root of the next heading of the same or a higher level (Infinity if none): one pass from the end. */
function regionEnds(headings: readonly HeadingBlock[]): number[] {
  const ends: number[] = new Array<number>(headings.length).fill(Infinity);
  const stack: HeadingBlock[] = [];
  for (let i = headings.length - 1; i >= 0; i--) {
    const heading = headings[i]!;
    while (stack.length > 0 && stack[stack.length - 1]!.depth > heading.depth) stack.pop();
    ends[i] = stack[stack.length - 1]?.root ?? Infinity;
    stack.push(heading);
  }
  return ends;
}

/** How many of the ascending `roots` lie strictly between `from` and `to` (binary search). */
function countBetween(roots: readonly number[], from: number, to: number): number {
  return firstAbove(roots, to - 1) - firstAbove(roots, from);
}

function firstAbove(roots: readonly number[], value: number): number {
  let lo = 0;
  let hi = roots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (roots[mid]! > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function unknownMarkWarnings(items: readonly BacklogItem[]): BacklogWarning[] {
  const byMark = new Map<string, BacklogItem[]>();
  for (const item of items) {
    if (item.markSource !== "unknown") continue;
    const marked = byMark.get(item.mark);
    if (marked) marked.push(item);
    else byMark.set(item.mark, [item]);
  }
  return [...byMark].map(([mark, marked]) => ({
    line: marked[0]?.line ?? null,
    message: `${marked.length === 1 ? "1 item uses" : `${marked.length} items use`} the mark [${mark}], which is neither built in nor in the issue's legend; counted as open (${marked.length === 1 ? "line" : "lines"} ${marked.map((i) => i.line).join(", ")}).`,
  }));
}
