import { describe, expect, it } from "vitest";
import { findItemReferences } from "../../../src/core/backlog/find-item-references.js";
import { planItemTicks } from "../../../src/core/backlog/plan-item-ticks.js";
import { readFixture } from "./read-fixture.js";

const plan = (body: string, pr: string) => {
  const result = planItemTicks({ body, references: findItemReferences(pr) });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe("planItemTicks", () => {
  it("ticks several items, skip marks included, changing only their boxes", () => {
    const body = readFixture("gcp-terraform.md");
    const result = plan(body, "Completes #12 [AI] 2.5, [AI] 2.6 and 3.1");
    expect(result.body).toBe(
      body
        .replace("- [⏭️] [AI] 2.5", "- [x] [AI] 2.5")
        .replace("- [ ] [AI] 2.6", "- [x] [AI] 2.6")
        .replace("- [ ] [AI] 3.1", "- [x] [AI] 3.1"),
    );
    expect(result.ticked.map((i) => i.number)).toEqual(["2.5", "2.6", "3.1"]);
    expect(result.unresolved).toEqual([]);
  });

  it("keeps CRLF line endings and leaves ambiguous references unticked", () => {
    const body = readFixture("duplicate-numbers.crlf.md");
    const result = plan(body, "Completes #12 [HUMAN] 0.2, 0.1 and 1.1");
    expect(result.body).toBe(body.replace("- [ ] [HUMAN] 0.2", "- [x] [HUMAN] 0.2"));
    expect(result.body.split("\r\n")).toHaveLength(body.split("\r\n").length);
    expect(result.unresolved.map((r) => [r.kind, r.reference.number, r.candidates.length])).toEqual([
      ["ambiguous", "0.1", 2],
      ["ambiguous", "1.1", 2],
    ]);
  });

  it("ticks an item named twice once, and leaves done items and their body as they are", () => {
    const body = readFixture("gcp-terraform.md");
    const twice = plan(body, "Completes #12 2.6 and [AI] 2.6");
    expect(twice.ticked).toHaveLength(1);
    const done = plan(twice.body, "Completes #12 [AI] 2.6 and 2.1");
    expect(done.body).toBe(twice.body);
    expect(done.ticked).toEqual([]);
    expect(done.alreadyDone.map((i) => i.number)).toEqual(["2.1", "2.6"]);
  });

  it("reports a number no item has", () => {
    const result = plan("- [ ] [AI] 1.1 a\n", "Completes #12 [HUMAN] 1.1 and 9");
    expect(result.body).toBe("- [ ] [AI] 1.1 a\n");
    expect(result.unresolved.map((r) => [r.kind, r.reference.number, r.candidates.length])).toEqual([
      ["unknown", "1.1", 1],
      ["unknown", "9", 0],
    ]);
  });
});
