import type { Root } from "mdast";
import type { Backlog, BacklogItem, BacklogPhase, BacklogSection, BacklogWarning, PhaseStatusMark } from "./backlog.js";
import { choosePhaseDepth, type HeadingFacts } from "./choose-phase-depth.js";
import { collectBlocks, type HeadingBlock, type ListItemBlock } from "./collect-blocks.js";
import { findLegend } from "./find-legend.js";
import { findTasks, type Task } from "./find-tasks.js";
import { parseItemText } from "./parse-item-text.js";
import { parseMarkdown } from "../markdown/parse-markdown.js";
import { parsePhaseHeading, type PhaseHeading } from "./parse-phase-heading.js";
import { parseRoleTag } from "./parse-role-tag.js";
import { readStatusLine } from "./read-status-line.js";

/**
 * Issue body -> backlog: phases, sections, checklist items with their states and source
 * positions, the issue's legend. Pure; never throws: a body that cannot be read gives an empty
 * backlog with a warning. The format is described in README.md beside this file.
 */
export function parseBacklog(body: string): Backlog {
  const parsed = parseMarkdown(body);
  if (!parsed.ok) return unreadable(parsed.error);
  try {
    return readBacklog(body, parsed.value.tree, parsed.value.offsetBase);
  } catch (error) {
    return unreadable(error instanceof Error ? error.message : String(error));
  }
}

function unreadable(reason: string): Backlog {
  const message = `The issue body could not be read as a backlog (${reason}); no items were counted.`;
  return { phases: [], sections: [], items: [], legend: [], warnings: [{ line: null, message }] };
}

interface OpenHeading {
  readonly block: HeadingBlock;
  readonly role: string | null;
  section: number | null;
}

interface PhaseDraft {
  readonly heading: PhaseHeading | null;
  readonly line: number | null;
  readonly statuses: PhaseStatusMark[];
}

function readBacklog(body: string, tree: Root, offsetBase: number): Backlog {
  const blocks = collectBlocks(tree);
  const { entries: legend, inLegend, isLegendHeading } = findLegend(body, blocks, offsetBase);
  const tasks = findTasks({ body, listItems: blocks.listItems, legend, inLegend, offsetBase });
  const headings: Array<HeadingFacts & { phase: PhaseHeading }> = blocks.headings.map((block, i) => {
    const phase = parsePhaseHeading(block.text, legend);
    return {
      block,
      legend: isLegendHeading(block),
      numbered: phase.numbered,
      phase,
      role: parseRoleTag(block.text, { trailing: true }).role,
      tasks: countTasks(tasks, block.root, regionEnd(blocks.headings, i)),
    };
  });
  const phaseDepth = choosePhaseDepth(headings);

  type Event = { root: number; order: number } & (
    | { kind: "heading"; heading: (typeof headings)[number] }
    | { kind: "paragraph"; text: string; line: number }
    | { kind: "task"; task: Task }
  );
  const events: Event[] = [
    ...headings.map((heading) => ({ kind: "heading" as const, root: heading.block.root, order: 0, heading })),
    ...blocks.paragraphs.map((p) => ({ kind: "paragraph" as const, root: p.root, order: 0, text: p.text, line: p.line })),
    ...tasks.map((task, order) => ({ kind: "task" as const, root: task.block.root, order, task })),
  ].sort((a, b) => a.root - b.root || a.order - b.order);

  const phases: PhaseDraft[] = [];
  const sections: BacklogSection[] = [];
  const items: BacklogItem[] = [];
  const itemOfBlock = new Map<number, number>();
  let current: number | null = null;
  let implicit: number | null = null;
  let phaseRole: string | null = null;
  let stack: OpenHeading[] = [];
  let statusLineAllowed = false;

  for (const event of events) {
    if (event.kind === "heading") {
      const { block, phase, role } = event.heading;
      if (phaseDepth !== null && block.depth <= phaseDepth) {
        stack = [];
        statusLineAllowed = false;
        current = null;
        phaseRole = null;
        if (block.depth === phaseDepth && !event.heading.legend && (phase.numbered || event.heading.tasks > 0)) {
          current = phases.push({ heading: phase, line: block.line, statuses: [] }) - 1;
          phaseRole = role;
          statusLineAllowed = true;
          if (phase.status) phases[current]?.statuses.push({ source: "heading", ...phase.status, line: block.line });
        }
      } else {
        while (stack.length > 0 && (stack[stack.length - 1]?.block.depth ?? 0) >= block.depth) stack.pop();
        stack.push({ block, role, section: null });
        statusLineAllowed = false;
      }
    } else if (event.kind === "paragraph") {
      const phase = current === null ? undefined : phases[current];
      if (phase && statusLineAllowed && !phase.statuses.some((s) => s.source === "status line")) {
        const status = readStatusLine(event.text, legend, event.line);
        if (status) phase.statuses.push(status);
      }
    } else {
      const { task } = event;
      if (current === null && implicit === null) implicit = phases.push({ heading: null, line: null, statuses: [] }) - 1;
      const phaseIndex = current ?? implicit ?? 0;
      const top = stack[stack.length - 1];
      let sectionIndex: number | null = null;
      if (top) {
        if (top.section === null) {
          top.section = sections.length;
          sections.push({ index: sections.length, phaseIndex, title: top.block.text, role: top.role, line: top.block.line });
        }
        sectionIndex = top.section;
      }
      const parsed = parseItemText(task.text);
      const parentIndex = parentItem(task.block, blocks.listItems, itemOfBlock);
      const parentRole = parentIndex === null ? null : (items[parentIndex]?.role ?? null);
      const headingRole = [...stack].reverse().find((h) => h.role !== null)?.role ?? phaseRole;
      const role = parsed.role ?? parentRole ?? headingRole;
      const roleSource = parsed.role !== null ? "item" : parentRole !== null ? "parent" : headingRole !== null ? "heading" : null;
      const start = (task.block.node.position?.start.offset ?? 0) + offsetBase;
      const end = (task.block.node.position?.end.offset ?? 0) + offsetBase;
      itemOfBlock.set(task.blockIndex, items.length);
      items.push({
        index: items.length,
        phaseIndex,
        sectionIndex,
        parentIndex,
        state: task.state,
        mark: task.box.mark,
        markSource: task.mark.source,
        struck: task.struck,
        role,
        roleSource,
        number: parsed.number,
        title: parsed.title,
        text: task.text,
        line: task.block.line,
        span: { start, end },
        box: task.box.box,
      });
    }
  }

  return {
    phases: phases.map((draft, index) => toPhase(draft, index, phases.length)),
    sections,
    items,
    legend,
    warnings: unknownMarkWarnings(items),
  };
}

function regionEnd(headings: readonly HeadingBlock[], i: number): number {
  const heading = headings[i];
  if (!heading) return Infinity;
  for (let j = i + 1; j < headings.length; j++) {
    const next = headings[j];
    if (next && next.depth <= heading.depth) return next.root;
  }
  return Infinity;
}

function countTasks(tasks: readonly Task[], from: number, to: number): number {
  return tasks.filter((t) => t.block.root > from && t.block.root < to).length;
}

/** The nearest enclosing list item that is a checklist item. */
function parentItem(block: ListItemBlock, listItems: readonly ListItemBlock[], itemOfBlock: ReadonlyMap<number, number>): number | null {
  let parent = block.parent;
  while (parent !== null) {
    const item = itemOfBlock.get(parent);
    if (item !== undefined) return item;
    parent = listItems[parent]?.parent ?? null;
  }
  return null;
}

function toPhase(draft: PhaseDraft, index: number, count: number): BacklogPhase {
  if (!draft.heading) {
    const title = count === 1 ? "Checklist" : "Other items";
    return { index, number: null, title, name: title, line: null, statuses: draft.statuses };
  }
  const { number, title, name } = draft.heading;
  return { index, number, title, name, line: draft.line, statuses: draft.statuses };
}

function unknownMarkWarnings(items: readonly BacklogItem[]): BacklogWarning[] {
  const byMark = new Map<string, BacklogItem[]>();
  for (const item of items) {
    if (item.markSource === "unknown") byMark.set(item.mark, [...(byMark.get(item.mark) ?? []), item]);
  }
  return [...byMark].map(([mark, marked]) => ({
    line: marked[0]?.line ?? null,
    message: `${marked.length === 1 ? "1 item uses" : `${marked.length} items use`} the mark [${mark}], which is neither built in nor in the issue's legend; counted as open (${marked.length === 1 ? "line" : "lines"} ${marked.map((i) => i.line).join(", ")}).`,
  }));
}
