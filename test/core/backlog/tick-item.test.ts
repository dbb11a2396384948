import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BacklogItem } from "../../../src/core/backlog/backlog.js";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";
import { tickItem, tickItems, untickItem } from "../../../src/core/backlog/tick-item.js";
import { generatedBacklog, markdownish } from "./markdown-arbitraries.js";
import { readFixture } from "./read-fixture.js";

function itemByNumber(body: string, number: string, role?: string) {
  const item = parseBacklog(body).items.find((i) => i.number === number && (role === undefined || i.role === role));
  if (!item) throw new Error(`no item ${number}`);
  return item;
}

describe("tickItem / untickItem", () => {
  it("ticks an open item by changing only its box", () => {
    const body = readFixture("gcp-terraform.md");
    const result = tickItem(body, itemByNumber(body, "2.6"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toBe(body.replace("- [ ] [AI] 2.6:", "- [x] [AI] 2.6:"));
    expect(itemByNumber(result.value, "2.6").state).toBe("done");
  });

  it("ticks the right one of two items with the same number", () => {
    const body = readFixture("duplicate-numbers.md");
    const result = tickItem(body, itemByNumber(body, "0.2", "AI"));
    expect(result.ok && result.value).toBe(body.replace("- [ ] [AI] 0.2: Write", "- [x] [AI] 0.2: Write"));
  });

  it("preserves CRLF line endings byte for byte", () => {
    const body = readFixture("duplicate-numbers.crlf.md");
    const result = tickItem(body, itemByNumber(body, "0.2", "HUMAN"));
    expect(result.ok && result.value).toBe(body.replace("- [ ] [HUMAN] 0.2:", "- [x] [HUMAN] 0.2:"));
    expect(result.ok && result.value.split("\r\n")).toHaveLength(body.split("\r\n").length);
  });

  it("turns a skip mark into [x] on tick and [ ] on untick", () => {
    const body = "- [⏭️] 2.5: GKE\n- [-] 2.4: SQL\n";
    expect(tickItem(body, itemByNumber(body, "2.5"))).toEqual({ ok: true, value: "- [x] 2.5: GKE\n- [-] 2.4: SQL\n" });
    expect(untickItem(body, itemByNumber(body, "2.4"))).toEqual({ ok: true, value: "- [⏭️] 2.5: GKE\n- [ ] 2.4: SQL\n" });
  });

  it("leaves the body unchanged when the item already has that state", () => {
    const body = "- [X] 1.1: a\n- [ ] 1.2: b\n";
    expect(tickItem(body, itemByNumber(body, "1.1"))).toEqual({ ok: true, value: body });
    expect(untickItem(body, itemByNumber(body, "1.2"))).toEqual({ ok: true, value: body });
  });

  it("unticks a done item", () => {
    const body = "Intro\r\n\r\n- [x] 1.1: a\r\n";
    expect(untickItem(body, itemByNumber(body, "1.1"))).toEqual({ ok: true, value: "Intro\r\n\r\n- [ ] 1.1: a\r\n" });
  });

  it("refuses an item from an older version of the body", () => {
    const before = "- [ ] 1.1: a\n- [ ] 1.2: b\n";
    const item = itemByNumber(before, "1.2");
    const after = "- [ ] 1.0: new first line\n- [ ] 1.1: a\n- [ ] 1.2: b\n";
    expect(tickItem(after, item)).toEqual({
      ok: false,
      error: { kind: "stale-item", message: 'Item 1.2 (line 2) is no longer where it was; read the issue again and retry.' },
    });
  });

  const bodies = fc.oneof(generatedBacklog.map((g) => g.body), markdownish);
  /** One item of the body, chosen by `pick`, among those `keep` accepts. */
  const choose = (body: string, pick: number, keep: (item: BacklogItem) => boolean) => {
    const items = parseBacklog(body).items.filter(keep);
    return items.length === 0 ? undefined : items[pick % items.length];
  };
  const reparsed = (body: string, item: BacklogItem) => {
    const again = parseBacklog(body).items.find((i) => i.box.start === item.box.start);
    if (!again) throw new Error("the edited item vanished");
    return again;
  };

  it("round-trips: ticking an open [ ] item then unticking it gives back the original text", () => {
    fc.assert(
      fc.property(bodies, fc.nat(), (body, pick) => {
        const item = choose(body, pick, (i) => i.mark === " ");
        fc.pre(item !== undefined);
        if (!item) return;
        const ticked = tickItem(body, item);
        if (!ticked.ok) throw new Error(ticked.error.message);
        expect(ticked.value).not.toBe(body);
        expect(untickItem(ticked.value, reparsed(ticked.value, item))).toEqual({ ok: true, value: body });
      }),
      { numRuns: 150 },
    );
  });

  it("round-trips: unticking an [x] item then ticking it gives back the original text", () => {
    fc.assert(
      fc.property(bodies, fc.nat(), (body, pick) => {
        const item = choose(body, pick, (i) => i.mark === "x");
        fc.pre(item !== undefined);
        if (!item) return;
        const unticked = untickItem(body, item);
        if (!unticked.ok) throw new Error(unticked.error.message);
        expect(unticked.value).not.toBe(body);
        expect(tickItem(unticked.value, reparsed(unticked.value, item))).toEqual({ ok: true, value: body });
      }),
      // A box with nothing after it once parsed as an item only while ticked (found by this property).
      { numRuns: 150, examples: [["- [x] ", 0], ["- [x] \n- [x] b\n", 1]] },
    );
  });

  it("ticking changes nothing outside the box and no other item's state", () => {
    fc.assert(
      fc.property(generatedBacklog, fc.nat(), ({ body }, pick) => {
        const before = parseBacklog(body).items;
        const item = before[pick % Math.max(before.length, 1)];
        fc.pre(item !== undefined);
        if (!item) return;
        const ticked = tickItem(body, item);
        if (!ticked.ok) throw new Error(ticked.error.message);
        const tail = body.length - item.box.end;
        expect(ticked.value.slice(0, item.box.start)).toBe(body.slice(0, item.box.start));
        expect(ticked.value.slice(ticked.value.length - tail)).toBe(body.slice(item.box.end));
        const after = parseBacklog(ticked.value).items;
        expect(after.map((i) => (i.index === item.index ? "done" : i.state))).toEqual(before.map((i) => (i.index === item.index ? "done" : i.state)));
        expect(after[item.index]?.state).toBe("done");
      }),
      { numRuns: 150 },
    );
  });
});

describe("tickItems", () => {
  it("ticks several items with one parse, a length-changing skip mark included, like tickItem one by one", () => {
    const body = readFixture("gcp-terraform.md");
    const items = ["3.2", "2.5", "2.6"].map((n) => itemByNumber(body, n));
    let oneByOne = body;
    for (const n of ["3.2", "2.6", "2.5"]) {
      const next = tickItem(oneByOne, itemByNumber(oneByOne, n));
      if (!next.ok) throw new Error(next.error.message);
      oneByOne = next.value;
    }
    expect(tickItems(body, items)).toEqual({ ok: true, value: oneByOne });
    expect(oneByOne).toBe(body.replace("- [⏭️] [AI] 2.5", "- [x] [AI] 2.5").replace("- [ ] [AI] 2.6", "- [x] [AI] 2.6").replace("- [ ] [AI] 3.2", "- [x] [AI] 3.2"));
  });

  it("fails the whole edit when one item is stale, and returns the body for no items", () => {
    const body = readFixture("gcp-terraform.md");
    const stale = itemByNumber(`x\n\n${body}`, "2.6");
    expect(tickItems(body, [itemByNumber(body, "3.1"), stale])).toMatchObject({ ok: false, error: { kind: "stale-item" } });
    expect(tickItems(body, [])).toEqual({ ok: true, value: body });
  });
});
