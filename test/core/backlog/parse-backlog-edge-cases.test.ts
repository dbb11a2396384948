import { describe, expect, it } from "vitest";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";
import { describeItems } from "./read-fixture.js";

const items = (body: string) => describeItems(parseBacklog(body).items);

describe("parseBacklog edge cases", () => {
  it("gives an empty backlog for an empty body or one without checklists", () => {
    for (const body of ["", "   \n\n", "# Title\n\nJust prose.\n\n- a plain list\n- [Design doc](https://x.test)\n"]) {
      expect(parseBacklog(body)).toEqual({ phases: [], sections: [], items: [], legend: [], warnings: [] });
    }
  });

  it("does not count links, role-tagged plain items, footnote-like marks or empty boxes", () => {
    expect(items("- [Design doc](https://x.test) review\n- [AI] 2.1: no box\n- [1] reference\n- [ ]\n- [x](https://x.test)\n")).toEqual([]);
    // A box with nothing after it is no task, ticked or not (GFM takes neither): unticking
    // `- [x] ` must not make an item vanish.
    for (const body of ["- [x] ", "- [x] \t\n", "- [ ] ", "- [⏭️] \n"]) expect(items(body), JSON.stringify(body)).toEqual([]);
  });

  it("reads ordered lists, `*` and `+` bullets, tab and upper-case boxes", () => {
    expect(items("1) [X] one\n2. [ ] two\n\n* [\t] three\n+ [x] four\n")).toEqual([
      "0/- done    [X] - -: one (L1)",
      "0/- open    [ ] - -: two (L2)",
      "0/- open    [\t] - -: three (L4)",
      "0/- done    [x] - -: four (L5)",
    ]);
  });

  it("reads skip marks, strikethrough around or after the box, and lets a ticked box win", () => {
    expect(items("- [-] a\n- [~] b\n- [⏭] c\n- [ ] ~~d~~ later\n- ~~[ ] e~~\n- [x] ~~f~~\n- [ ] g ~~partly~~ struck\n")).toEqual([
      "0/- skipped [-] - -: a (L1)",
      "0/- skipped [~] - -: b (L2)",
      "0/- skipped [⏭] - -: c (L3)",
      "0/- skipped [ ] - -: d later (L4)",
      "0/- skipped [ ] - -: e (L5)",
      "0/- done    [x] - -: f (L6)",
      "0/- open    [ ] - -: g partly struck (L7)",
    ]);
    const body = "- ~~[ ] e~~\n";
    const [item] = parseBacklog(body).items;
    expect(item && body.slice(item.box.start, item.box.end)).toBe("[ ]");
    expect(item?.struck).toBe(true);
  });

  it("counts an unknown symbol mark as open and warns once per mark", () => {
    const backlog = parseBacklog("- [🤔] 1.1 think\n- [🤔] 1.2 think more\n- [!] 1.3 urgent\n");
    expect(backlog.items.map((i) => [i.state, i.markSource])).toEqual([
      ["open", "unknown"],
      ["open", "unknown"],
      ["open", "unknown"],
    ]);
    expect(backlog.warnings).toEqual([
      { line: 1, message: "2 items use the mark [🤔], which is neither built in nor in the issue's legend; counted as open (lines 1, 2)." },
      { line: 3, message: "1 item uses the mark [!], which is neither built in nor in the issue's legend; counted as open (line 3)." },
    ]);
  });

  it("reads the built-in status emoji as marks without a legend", () => {
    expect(parseBacklog("- [✅] a\n- [🔄] b\n- [⏳] c\n- [🚫] d\n").items.map((i) => `${i.state}:${i.markSource}`)).toEqual([
      "done:builtin",
      "open:builtin",
      "open:builtin",
      "skipped:builtin",
    ]);
  });

  it("lets a legend redefine a built-in emoji", () => {
    const body = "## Legend\n- ⏳ = deferred\n\n## Work\n- [⏳] 1.1 later\n";
    expect(parseBacklog(body).items.map((i) => `${i.state}:${i.markSource}`)).toEqual(["skipped:legend"]);
  });

  it("takes only a heading that is just Legend for a legend, not a phase about legends", () => {
    const body = "### 📖 Status Legend:\n- [x] Done\n\n## Phase 4: Legend placement in plots\n- [ ] 4.1 Move the legend outside the axes\n";
    const backlog = parseBacklog(body);
    expect(backlog.items.map((i) => i.number)).toEqual(["4.1"]);
    expect(backlog.legend.map((e) => e.marker)).toEqual(["x"]);
  });

  it("keeps [ ] and [x] fixed whatever the legend says", () => {
    const body = "Legend: [x] = skipped, [ ] = done\n\n- [x] a\n- [ ] b\n";
    expect(parseBacklog(body).items.map((i) => i.state)).toEqual(["done", "open"]);
  });

  it("reads a legend list below a `**Legend:**` paragraph and does not count it", () => {
    const body = "**Legend:**\n- [x] Done\n- [💤] Parked (deferred)\n\n## Phase 1: Setup\n- [💤] 1.1 parked\n- [x] 1.2 done\n";
    const backlog = parseBacklog(body);
    expect(describeItems(backlog.items)).toEqual(["0/- skipped [💤] - 1.1: parked (L6)", "0/- done    [x] - 1.2: done (L7)"]);
    expect(backlog.legend.map((e) => `${e.marker}=${e.meaning}`)).toEqual(["x=done", "💤=skipped"]);
  });

  it("ignores checklists in code blocks, indented code, HTML and block quotes, but reads <details>", () => {
    const body = [
      "```",
      "- [ ] fenced",
      "```",
      "",
      "~~~md",
      "- [x] tilde fenced",
      "~~~",
      "",
      "    - [ ] indented code",
      "",
      "<!--",
      "- [ ] in a comment",
      "-->",
      "",
      "> - [ ] quoted",
      "",
      "<details><summary>More</summary>",
      "",
      "- [ ] inside details",
      "",
      "</details>",
      "",
    ].join("\n");
    expect(items(body)).toEqual(["0/- open    [ ] - -: inside details (L19)"]);
  });

  it("reads nested items under plain list items and inherits the parent's role", () => {
    const body = "- Group\n  - [ ] [AI] 1.1 parent\n    - [x] 1.1.1 child\n      - [ ] 1.1.1.1 grandchild\n";
    const backlog = parseBacklog(body);
    expect(backlog.items.map((i) => [i.number, i.parentIndex, i.role, i.roleSource])).toEqual([
      ["1.1", null, "AI", "item"],
      ["1.1.1", 0, "AI", "parent"],
      ["1.1.1.1", 1, "AI", "parent"],
    ]);
  });

  it("offsets past a byte-order mark", () => {
    const body = "\uFEFF- [ ] a\n- [x] b\n";
    for (const item of parseBacklog(body).items) expect(body.slice(item.box.start, item.box.end)).toBe(`[${item.mark}]`);
  });

  it("treats role headings without phase headings as sections of one checklist", () => {
    const backlog = parseBacklog("## [HUMAN] Setup\n- [ ] 1: account\n\n## [AI] Build\n- [ ] 1: code\n");
    expect(backlog.phases.map((p) => p.title)).toEqual(["Checklist"]);
    expect(backlog.sections.map((s) => [s.title, s.role])).toEqual([
      ["[HUMAN] Setup", "HUMAN"],
      ["[AI] Build", "AI"],
    ]);
    expect(backlog.items.map((i) => `${i.role} ${i.number}`)).toEqual(["HUMAN 1", "AI 1"]);
  });

  it("reads status emoji before the title, and Status lines in words", () => {
    const backlog = parseBacklog("## ✅ Phase 1 - Setup\n**Status:** Complete\n- [x] 1.1 a\n\n## Phase 2: Build (🚧)\nStatus: not started yet\n");
    expect(backlog.phases.map((p) => [p.number, p.title, p.name, p.statuses.map((s) => `${s.source}:${s.emoji}:${s.meaning}`)])).toEqual([
      ["1", "Phase 1 - Setup", "Setup", ["heading:✅:done", "status line:null:done"]],
      ["2", "Phase 2: Build", "Build", ["heading:🚧:in-progress", "status line:null:not-started"]],
    ]);
  });

  it("keeps a Phase heading without items, and ends a phase at a same-level heading without items", () => {
    const backlog = parseBacklog("## Phase 1: A\n- [x] 1.1 a\n\n## Notes\n\n## Phase 2: Later\n");
    expect(backlog.phases.map((p) => p.title)).toEqual(["Phase 1: A", "Phase 2: Later"]);
  });

  it("reads numbers in their usual spellings and leaves numberless titles whole", () => {
    const body = ["- [ ] 2.6: a", "- [ ] 2.6. b", "- [ ] 2.6 c", "- [ ] 3) d", "- [ ] 3 - e", "- [ ] Task 4.1: f", "- [ ] 3 GPUs ordered", "- [ ] 1.5x faster", "- [ ] **[AI] 2.7**: g", "- [ ] 2024-01 release"].join("\n");
    expect(parseBacklog(body).items.map((i) => `${i.role ?? ""}|${i.number ?? ""}|${i.title}`)).toEqual([
      "|2.6|a",
      "|2.6|b",
      "|2.6|c",
      "|3|d",
      "|3|e",
      "|4.1|f",
      "||3 GPUs ordered",
      "||1.5x faster",
      "AI|2.7|g",
      "||2024-01 release",
    ]);
  });

  it("returns a warning instead of throwing on markdown nested too deeply for the parser", () => {
    const backlog = parseBacklog(`${"> ".repeat(12_000)}- [ ] deep`);
    expect(backlog.items).toEqual([]);
    expect(backlog.warnings).toHaveLength(1);
    expect(backlog.warnings[0]?.message).toMatch(/^The issue body could not be read as a backlog \(.+\); no items were counted\.$/);
  });
});
