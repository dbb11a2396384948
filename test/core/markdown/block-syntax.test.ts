import { describe, expect, it } from "vitest";
import { parseRoleTag } from "../../../src/core/backlog/parse-role-tag.js";
import { atxText, trimmedEnd } from "../../../src/core/markdown/block-syntax.js";

describe("atxText", () => {
  it("drops the opening run and a closing sequence only when a space or tab stands before it", () => {
    expect(atxText("# Title ##")).toBe("Title");
    expect(atxText("## Title#")).toBe("Title#");
    expect(atxText("### #")).toBe("");
    expect(atxText("#  a \t#  \t")).toBe("a");
    expect(atxText("# a # b")).toBe("a # b");
  });

  // `/[ \t]+#+[ \t]*$/` retried from every space of the run: seconds on 64 KB. Timing is npm run fuzz's; here, the result.
  it("reads a heading with 64 KB of spaces inside it", () => {
    expect(atxText(`# a${" \t".repeat(32_000)}#b`)).toBe(`a${" \t".repeat(32_000)}#b`);
    expect(trimmedEnd(`a${" ".repeat(65_000)}`, 65_001)).toBe(1);
  });
});

describe("parseRoleTag", () => {
  it("finds a trailing role tag after any run of spaces", () => {
    expect(parseRoleTag(`Build it${" ".repeat(65_000)}[AI]`, { trailing: true })).toEqual({ role: "AI", rest: "Build it" });
    expect(parseRoleTag(`Build it${" ".repeat(65_000)}#b`, { trailing: true }).role).toBeNull();
  });
});
