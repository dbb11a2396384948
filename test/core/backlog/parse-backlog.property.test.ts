import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";
import { generatedBacklog, markdownish } from "./markdown-arbitraries.js";

describe("parseBacklog properties", () => {
  it("never throws, and every item's positions point at its own box inside the body", () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, fc.string({ unit: "binary", maxLength: 200 })), (body) => {
        const backlog = parseBacklog(body);
        backlog.items.forEach((item, index) => {
          expect(item.index).toBe(index);
          expect(body.slice(item.box.start, item.box.end)).toBe(`[${item.mark}]`);
          expect(item.span.start).toBeLessThanOrEqual(item.box.start);
          expect(item.box.end).toBeLessThanOrEqual(item.span.end);
          expect(item.span.end).toBeLessThanOrEqual(body.length);
          expect(backlog.phases[item.phaseIndex]).toBeDefined();
          if (item.parentIndex !== null) expect(item.parentIndex).toBeLessThan(index);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("reads back exactly the items of a generated backlog, with their states, roles and numbers", () => {
    fc.assert(
      fc.property(generatedBacklog, ({ body, items }) => {
        const backlog = parseBacklog(body);
        expect(backlog.items.map((i) => [i.mark, i.state, i.role, i.number])).toEqual(items.map((i) => [i.mark, i.state, i.role, i.number]));
        expect(backlog.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
