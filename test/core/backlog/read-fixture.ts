import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BacklogItem } from "../../../src/core/backlog/backlog.js";

/** A backlog fixture's text, byte for byte (no line-ending conversion). */
export function readFixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/backlogs/${name}`, import.meta.url)), "utf8");
}

/** One line per item: phase/section, state, mark, role, number, title, line. */
export function describeItems(items: readonly BacklogItem[]): string[] {
  return items.map(
    (i) =>
      `${i.phaseIndex}/${i.sectionIndex ?? "-"}${i.parentIndex === null ? "" : ` ^${i.parentIndex}`} ${i.state.padEnd(7)} [${i.mark}] ${i.role ?? "-"} ${i.number ?? "-"}: ${i.title} (L${i.line})`,
  );
}
