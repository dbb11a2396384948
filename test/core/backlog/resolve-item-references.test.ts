import { describe, expect, it } from "vitest";
import { findItemReferences } from "../../../src/core/backlog/find-item-references.js";
import { parseBacklog } from "../../../src/core/backlog/parse-backlog.js";
import { resolveItemReferences } from "../../../src/core/backlog/resolve-item-references.js";
import { readFixture } from "./read-fixture.js";

const backlog = parseBacklog(readFixture("duplicate-numbers.md"));
const resolve = (prBody: string) =>
  resolveItemReferences({ references: findItemReferences(prBody), backlog }).map((r) =>
    r.kind === "matched"
      ? `matched ${r.item.role} ${r.item.number} (L${r.item.line})`
      : `${r.kind} ${r.reference.number}: ${r.candidates.map((c) => `${c.role} ${c.number} (L${c.line})`).join(", ")}`,
  );

describe("resolveItemReferences", () => {
  it("matches a number that names one item, with or without its role", () => {
    expect(resolve("Completes #7 [HUMAN] 0.2")).toEqual(["matched HUMAN 0.2 (L5)"]);
    expect(resolve("Completes #7 [ai] 0.1")).toEqual(["matched AI 0.1 (L8)"]);
  });

  it("reports a number under several roles as ambiguous, with the candidates", () => {
    expect(resolve("Completes #7 0.1")).toEqual(["ambiguous 0.1: HUMAN 0.1 (L4), AI 0.1 (L8)"]);
  });

  it("reports a role and number that fit several items as ambiguous too", () => {
    expect(resolve("Completes #7 [AI] 0.2, [AI] 1.1")).toEqual([
      "ambiguous 0.2: AI 0.2 (L9), AI 0.2 (L16)",
      "ambiguous 1.1: AI 1.1 (L14), AI 1.1 (L15)",
    ]);
  });

  it("reports an unknown item, with same-number items under other roles as hints", () => {
    expect(resolve("Completes #7 9.9, [QA] 0.1")).toEqual(["unknown 9.9: ", "unknown 0.1: HUMAN 0.1 (L4), AI 0.1 (L8)"]);
  });

  it("compares numbers part by part", () => {
    expect(resolve("Completes #7 [HUMAN] 00.02")).toEqual(["matched HUMAN 0.2 (L5)"]);
    expect(resolve("Completes #7 [HUMAN] 0.20")).toEqual(["unknown 0.20: "]);
  });

  it("returns nothing for no references", () => {
    expect(resolveItemReferences({ references: [], backlog })).toEqual([]);
  });
});
