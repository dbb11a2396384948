import { describe, expect, it } from "vitest";
import { BACKLOG_SHAPE_LIMITS, checkBacklogShape } from "../../../src/core/backlog/check-backlog-shape.js";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";

const limits = { maxLines: 5, maxNesting: 8, maxMarkersPerLine: 4 };

describe("checkBacklogShape", () => {
  it("passes a body within both limits, CRLF and a trailing newline included", () => {
    expect(checkBacklogShape("## Phase 1\r\n- [ ] a\r\n  - [x] b\r\n\r\n", limits)).toBeNull();
    expect(checkBacklogShape("", limits)).toBeNull();
  });

  it("refuses a body with more lines than the cap, naming the cap", () => {
    expect(checkBacklogShape("a\nb\nc\nd\ne", limits)).toBeNull();
    expect(checkBacklogShape("a\nb\rc\r\nd\ne\nf", limits)).toBe("it has more than 5 lines; the bot reads backlogs of up to 5 lines");
  });

  it("counts list markers, quotes, spaces and tabs before a line's text as nesting", () => {
    expect(checkBacklogShape("- - - - [ ] x", limits)).toBeNull();
    expect(checkBacklogShape("ok\n    - - - [ ] x", limits)).toMatch(/^line 2 is nested more than 8 columns deep/);
    expect(checkBacklogShape(">>>>>>>>> x", limits)).toMatch(/^line 1 is nested/);
    expect(checkBacklogShape("\t\t\t- x", limits)).toMatch(/^line 1 is nested/);
    expect(checkBacklogShape("1. 2) x", limits)).toBeNull();
    expect(checkBacklogShape("1. 2. 3) 4. x", limits)).toMatch(/^line 1 is nested/);
    // Not markers: `-x`, `10x`, a heading's `#`.
    expect(checkBacklogShape("-x -x -x -x -x -x", limits)).toBeNull();
    expect(checkBacklogShape("######## deep heading text", limits)).toBeNull();
  });

  it("refuses more list markers on one line than the cap, and reads a megabyte of them only up to the cap", () => {
    expect(checkBacklogShape("- - - [ ] x")).toBeNull();
    expect(checkBacklogShape("a\n- - - - [ ] x")).toBe("line 2 opens more than 3 lists on one line (`- - - …`); the bot reads backlogs with up to 3");
    expect(checkBacklogShape("- ".repeat(500_000))).toMatch(/^line 1 opens more than 3 lists/);
  });
});

describe("parseBacklog past the shape limits", () => {
  it("gives an empty backlog with a warning that names the cap, without parsing", () => {
    const body = Array.from({ length: BACKLOG_SHAPE_LIMITS.maxLines + 1 }, (_, i) => `- [ ] item ${i}`).join("\n");
    const backlog = parseBacklog(body);
    expect(backlog.items).toEqual([]);
    expect(backlog.warnings).toEqual([{ line: null, message: expect.stringContaining("the bot reads backlogs of up to 2,500 lines") }]);
  });

  it("still counts headings' tasks by region after the linear rewrite", () => {
    const body = ["## Phase 1", "### Part", "- [ ] a", "## Phase 2", "- [x] b", "- [ ] c"].join("\n");
    const backlog = parseBacklog(body);
    expect(backlog.phases.map((p) => p.name)).toEqual(["Phase 1", "Phase 2"]);
    expect(backlog.items.map((i) => [i.phaseIndex, i.state])).toEqual([[0, "open"], [1, "done"], [1, "open"]]);
  });
});
