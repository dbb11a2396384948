import type { BacklogItem, BacklogPhase, BacklogSection, LegendEntry, PhaseStatusMark } from "./backlog.js";
import type { HeadingFacts } from "./choose-phase-depth.js";
import type { HeadingBlock, ListItemBlock } from "./collect-blocks.js";
import type { Task } from "./find-tasks.js";
import { parseItemText } from "./parse-item-text.js";
import type { PhaseHeading } from "./parse-phase-heading.js";
import { readStatusLine } from "./read-status-line.js";

/** A heading with what the backlog needs to know about it. */
export type BacklogHeading = HeadingFacts & { readonly phase: PhaseHeading };

/** One block of the body, in document order: what the walk takes one at a time. */
export type BacklogEvent = { root: number; order: number } & (
  | { kind: "heading"; heading: BacklogHeading }
  | { kind: "paragraph"; text: string; line: number }
  | { kind: "task"; task: Task }
);

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

/**
 * Walks a backlog's blocks in document order and builds its phases, sections and items: a
 * heading at the phase depth opens a phase (its status line may follow), a deeper heading opens
 * a section, and each task becomes an item of the current phase (an implicit one before the
 * first), with the role of the item, its parent item or the nearest heading.
 */
export class BacklogWalk {
  private readonly phases: PhaseDraft[] = [];
  private readonly sections: BacklogSection[] = [];
  private readonly items: BacklogItem[] = [];
  private readonly itemOfBlock = new Map<number, number>();
  private current: number | null = null;
  private implicit: number | null = null;
  private phaseRole: string | null = null;
  private stack: OpenHeading[] = [];
  private statusLineAllowed = false;

  constructor(
    private readonly context: {
      readonly legend: readonly LegendEntry[];
      readonly listItems: readonly ListItemBlock[];
      readonly phaseDepth: number | null;
      readonly offsetBase: number;
    },
  ) {}

  take(event: BacklogEvent): void {
    if (event.kind === "heading") this.heading(event.heading);
    else if (event.kind === "paragraph") this.paragraph(event.text, event.line);
    else this.task(event.task);
  }

  result(): { phases: BacklogPhase[]; sections: BacklogSection[]; items: BacklogItem[] } {
    return { phases: this.phases.map((draft, index) => toPhase(draft, index, this.phases.length)), sections: this.sections, items: this.items };
  }

  private heading(heading: BacklogHeading): void {
    const { block, phase, role } = heading;
    const { phaseDepth } = this.context;
    if (phaseDepth === null || block.depth > phaseDepth) {
      while (this.stack.length > 0 && (this.stack[this.stack.length - 1]?.block.depth ?? 0) >= block.depth) this.stack.pop();
      this.stack.push({ block, role, section: null });
      this.statusLineAllowed = false;
      return;
    }
    this.stack = [];
    this.statusLineAllowed = false;
    this.current = null;
    this.phaseRole = null;
    if (block.depth === phaseDepth && !heading.legend && (phase.numbered || heading.tasks > 0)) {
      this.current = this.phases.push({ heading: phase, line: block.line, statuses: [] }) - 1;
      this.phaseRole = role;
      this.statusLineAllowed = true;
      if (phase.status) this.phases[this.current]?.statuses.push({ source: "heading", ...phase.status, line: block.line });
    }
  }

  private paragraph(text: string, line: number): void {
    const phase = this.current === null ? undefined : this.phases[this.current];
    if (phase && this.statusLineAllowed && !phase.statuses.some((s) => s.source === "status line")) {
      const status = readStatusLine(text, this.context.legend, line);
      if (status) phase.statuses.push(status);
    }
  }

  private task(task: Task): void {
    if (this.current === null && this.implicit === null) this.implicit = this.phases.push({ heading: null, line: null, statuses: [] }) - 1;
    const phaseIndex = this.current ?? this.implicit ?? 0;
    const parsed = parseItemText(task.text);
    const parentIndex = parentItem(task.block, this.context.listItems, this.itemOfBlock);
    const parentRole = parentIndex === null ? null : (this.items[parentIndex]?.role ?? null);
    const headingRole = [...this.stack].reverse().find((h) => h.role !== null)?.role ?? this.phaseRole;
    const { offsetBase } = this.context;
    this.itemOfBlock.set(task.blockIndex, this.items.length);
    this.items.push({
      index: this.items.length,
      phaseIndex,
      sectionIndex: this.sectionOf(phaseIndex),
      parentIndex,
      state: task.state,
      mark: task.box.mark,
      markSource: task.mark.source,
      struck: task.struck,
      role: parsed.role ?? parentRole ?? headingRole,
      roleSource: parsed.role !== null ? "item" : parentRole !== null ? "parent" : headingRole !== null ? "heading" : null,
      number: parsed.number,
      title: parsed.title,
      text: task.text,
      line: task.block.line,
      span: { start: (task.block.node.position?.start.offset ?? 0) + offsetBase, end: (task.block.node.position?.end.offset ?? 0) + offsetBase },
      box: task.box.box,
      ...(task.mark.repaired ? { repaired: task.mark.repaired } : {}),
    });
  }

  /** The section of the innermost open heading, made when its first item comes. */
  private sectionOf(phaseIndex: number): number | null {
    const top = this.stack[this.stack.length - 1];
    if (!top) return null;
    if (top.section === null) {
      top.section = this.sections.length;
      this.sections.push({ index: this.sections.length, phaseIndex, title: top.block.text, role: top.role, line: top.block.line });
    }
    return top.section;
  }
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
