import { describe, expect, it } from "vitest";
import { computeBacklogProgress } from "../../src/core/backlog/compute-backlog-progress.js";
import { decideBacklogAction } from "../../src/core/backlog/decide-backlog-action.js";
import { findItemReferences } from "../../src/core/backlog/find-item-references.js";
import { parseBacklog } from "../../src/core/backlog/parse-backlog.js";
import { resolveItemReferences } from "../../src/core/backlog/resolve-item-references.js";
import { renderBacklogClose } from "../../src/report/backlog/render-backlog-close.js";
import { renderBacklogReopen } from "../../src/report/backlog/render-backlog-reopen.js";
import { renderBacklogUnresolvedReferences } from "../../src/report/backlog/render-backlog-unresolved-references.js";

const duplicates = `## Phase 0: Access 🔄
### [HUMAN] Accounts
- [x] [HUMAN] 0.1: Create the GCP project
### [AI] Scaffolding
- [ ] [AI] 0.1: Create the repository layout
- [ ] [AI] 0.2: Write the CI workflow
- [ ] [AI] 0.2: Write the CI workflow again
`;

describe("renderBacklogClose", () => {
  it("thanks and explains how to reopen", () => {
    const backlog = parseBacklog("- [x] 1.1 a\n- [x] 1.2 b\n- [-] 1.3 c\n");
    const decision = decideBacklogAction({ backlog, issue: { state: "open" }, config: { close_when_done: true, reopen_when_unticked: true } });
    expect(decision.action).toBe("close");
    expect(renderBacklogClose({ counts: decision.counts, reopenWhenUnticked: true })).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog-close -->
      All 3 items of this backlog are done or skipped (2 done, 1 skipped), so I'm closing it as completed. 🎉

      Untick an item to reopen it."
    `);
  });

  it("words a single done item, and leaves out reopening when that is off", () => {
    const counts = computeBacklogProgress(parseBacklog("- [x] a\n")).overall;
    expect(renderBacklogClose({ counts, reopenWhenUnticked: false })).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog-close -->
      The only item of this backlog is done, so I'm closing it as completed. 🎉"
    `);
  });
});

describe("renderBacklogReopen", () => {
  it("names the open items and their phases", () => {
    const backlog = parseBacklog(duplicates);
    const decision = decideBacklogAction({ backlog, issue: { state: "closed", stateReason: "completed" }, config: { close_when_done: true, reopen_when_unticked: true } });
    if (decision.action !== "reopen") throw new Error(`expected reopen, got ${decision.action}`);
    expect(renderBacklogReopen({ openItems: decision.openItems, phases: backlog.phases, closeWhenDone: true })).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog-reopen -->
      Reopening: this backlog was closed, but 3 items are open:

      - \`[AI] 0.1\` Create the repository layout (Phase 0: Access)
      - \`[AI] 0.2\` Write the CI workflow (Phase 0: Access)
      - \`[AI] 0.2\` Write the CI workflow again (Phase 0: Access)

      I'll close it again when every item is done or skipped."
    `);
  });
});

describe("renderBacklogUnresolvedReferences", () => {
  it("lists the candidates of ambiguous references and says which are unknown", () => {
    const backlog = parseBacklog(duplicates);
    const references = findItemReferences("Completes #12 0.1, [AI] 0.2, 9.9 and [QA] 0.1");
    const unresolved = resolveItemReferences({ references, backlog }).filter((r) => r.kind !== "matched");
    expect(unresolved).toHaveLength(4);
    expect(renderBacklogUnresolvedReferences({ issueNumber: 12, resolutions: unresolved, phases: backlog.phases })).toMatchInlineSnapshot(`
      "<!-- mlops-bot:backlog-references -->
      I could not tick these items of #12:

      - \`#12 0.1\` matches 2 items:
        - \`[HUMAN] 0.1\` Create the GCP project (Phase 0: Access)
        - \`[AI] 0.1\` Create the repository layout (Phase 0: Access)
        Name the role to pick one, e.g. \`Completes #12 [HUMAN] 0.1\`.
      - \`#12 [AI] 0.2\` matches 2 items:
        - \`[AI] 0.2\` Write the CI workflow (Phase 0: Access)
        - \`[AI] 0.2\` Write the CI workflow again (Phase 0: Access)
        They share role and number, so I cannot tell them apart: tick the right one in the issue by hand, or renumber them.
      - \`#12 9.9\` matches no item in #12.
      - \`#12 [QA] 0.1\` matches no item; items numbered 0.1: \`[HUMAN] 0.1\` Create the GCP project, \`[AI] 0.1\` Create the repository layout."
    `);
  });
});
