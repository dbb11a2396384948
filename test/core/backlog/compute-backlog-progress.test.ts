import { describe, expect, it } from "vitest";
import { computeBacklogProgress } from "../../../src/core/backlog/compute-backlog-progress.js";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";
import { readFixture } from "./read-fixture.js";

const progressOf = (body: string) => computeBacklogProgress(parseBacklog(body));

describe("computeBacklogProgress", () => {
  it("counts done, skipped and open per phase and overall (gcp-terraform.md)", () => {
    const progress = progressOf(readFixture("gcp-terraform.md"));
    expect(progress.phases.map((p) => [p.phase.title, p.counts, p.actual])).toEqual([
      ["Phase 0: Project Setup", { total: 4, done: 4, skipped: 0, open: 0, percent: 100 }, "done"],
      ["Phase 1: Data Pipeline", { total: 5, done: 5, skipped: 0, open: 0, percent: 100 }, "done"],
      ["Phase 2: GCP & Terraform Infrastructure", { total: 9, done: 5, skipped: 3, open: 1, percent: 83 }, "in-progress"],
      ["Phase 3: Training Service", { total: 3, done: 0, skipped: 0, open: 3, percent: 0 }, "not-started"],
    ]);
    expect(progress.overall).toEqual({ total: 21, done: 14, skipped: 3, open: 4, percent: 77 });
    expect(progress.phases[2]?.openItems.map((i) => i.number)).toEqual(["2.6"]);
    expect(progress.mismatches).toEqual([]);
  });

  it("leaves skipped items out of the percentage and rounds down, so 100% means nothing is open", () => {
    const overall = (body: string) => progressOf(body).overall;
    expect(overall("- [x] a\n- [-] b\n- [-] c\n")).toEqual({ total: 3, done: 1, skipped: 2, open: 0, percent: 100 });
    expect(overall("- [-] a\n")).toEqual({ total: 1, done: 0, skipped: 1, open: 0, percent: 100 });
    expect(overall(`${"- [x] a\n".repeat(199)}- [ ] b\n`).percent).toBe(99);
    expect(overall("no items")).toEqual({ total: 0, done: 0, skipped: 0, open: 0, percent: null });
  });

  it("notes phases whose heading or Status line disagrees with their items", () => {
    const body = [
      "## Phase 1: Done but not ✅",
      "- [x] 1.1 a",
      "- [ ] 1.2 b",
      "## Phase 2: Still marked 🔄",
      "**Status**: 🔄 In Progress",
      "- [x] 2.1 a",
      "- [⏭️] 2.2 b",
      "## Phase 3: Not started 📋",
      "Status: not started",
      "- [x] 3.1 a",
      "- [ ] 3.2 b",
      "## Phase 4: Skipped ⏭️",
      "- [ ] 4.1 a",
      "## Phase 5: Empty ✅",
      "## Phase 6: In progress, nothing ticked yet 🔄",
      "- [ ] 6.1 a",
    ].join("\n");
    expect(progressOf(body).mismatches.map((m) => `${m.phaseIndex} ${m.source} L${m.line}: ${m.message}`)).toEqual([
      "0 heading L1: Phase 1: Done but not is marked ✅ done, but 1 of 2 items is open: 1.2.",
      "1 heading L4: Phase 2: Still marked is marked 🔄 in progress, but all 2 items are done or skipped.",
      "1 status line L5: Phase 2: Still marked is marked 🔄 in progress on its Status line, but all 2 items are done or skipped.",
      "2 heading L8: Phase 3: Not started is marked 📋 not started, but 1 of 2 items is done.",
      "2 status line L9: Phase 3: Not started is marked not started on its Status line, but 1 of 2 items is done.",
      "3 heading L12: Phase 4: Skipped is marked ⏭️ skipped, but 1 of 1 item is open (4.1); mark them [⏭️] or [-] to count them as skipped.",
    ]);
  });

  it("lists at most five open items in a note", () => {
    const body = `## Phase 1: Setup ✅\n${[1, 2, 3, 4, 5, 6, 7].map((n) => `- [ ] [AI] 1.${n} x`).join("\n")}\n`;
    expect(progressOf(body).mismatches[0]?.message).toBe(
      "Phase 1: Setup is marked ✅ done, but 7 of 7 items are open: [AI] 1.1, [AI] 1.2, [AI] 1.3, [AI] 1.4, [AI] 1.5 and 2 more.",
    );
  });

  it("passes the parser's warnings on", () => {
    expect(progressOf("- [🤔] a\n").warnings).toHaveLength(1);
  });
});
