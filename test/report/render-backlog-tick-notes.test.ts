import { describe, expect, it } from "vitest";
import { findItemReferences } from "../../src/core/backlog/find-item-references.js";
import { planItemTicks } from "../../src/core/backlog/plan-item-ticks.js";
import { renderBacklogTickNotes } from "../../src/report/backlog/render-backlog-tick-notes.js";

const body = "## Phase 1: Data\n- [ ] [AI] 1.1: Download the data\n- [ ] [AI] 1.2: Clean it\n";
const planned = (pr: string) => {
  const plan = planItemTicks({ body, references: findItemReferences(pr) });
  if (!plan.ok) throw new Error(plan.error.message);
  return { kind: "planned" as const, issue: 12, plan: plan.value, written: true };
};

describe("renderBacklogTickNotes", () => {
  it("says nothing when every reference was ticked", () => {
    expect(renderBacklogTickNotes({ outcomes: [planned("Completes #12 1.1 and 1.2")], foreign: [] })).toBeNull();
  });

  it("lists what it could not tick, then what it ticked", () => {
    const refs = findItemReferences("Completes #20 1.1, 1.2 and acme/data#3 4.1, acme/data#3 4.2");
    const notes = renderBacklogTickNotes({
      outcomes: [planned("Completes #12 1.1 and [HUMAN] 1.2"), { kind: "changed", issue: 20, references: refs.filter((r) => r.issue === 20) }],
      foreign: refs.filter((r) => r.repo !== null),
    });
    expect(notes).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog-references -->
      I could not tick this item of #12:

      - \`#12 [HUMAN] 1.2\` matches no item; items numbered 1.2: \`[AI] 1.2\` Clean it.

      #20 was edited while I was ticking it, twice, so I left it alone: tick \`#20 1.1\`, \`#20 1.2\` by hand.

      I only tick items in this repository's issues, so \`acme/data#3 4.1\`, \`acme/data#3 4.2\` were not ticked.

      Ticked:
      - #12 \`[AI] 1.1\` Download the data"
    `);
  });
});
