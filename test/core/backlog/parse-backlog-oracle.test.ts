import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backlogFromTree, parseShapedBacklog } from "../../../src/core/backlog/parse-backlog.js";
import { parseMarkdownWithMicromarkBlocks } from "../../helpers/parse-markdown-with-micromark-blocks.js";
import { generatedBacklog, markdownish } from "./markdown-arbitraries.js";

/**
 * The backlog as read from micromark's block tree: how the bot read backlogs before its linear
 * block reader. micromark with its inline constructs off fails an internal assertion on a few
 * inputs (`*\n[ ] - `); those are left out of the comparison (ours reads them).
 */
function withMicromarkBlocks(body: string) {
  const parsed = parseMarkdownWithMicromarkBlocks(body);
  fc.pre(parsed.ok);
  return parsed.ok ? backlogFromTree(body, parsed.value.tree, parsed.value.offsetBase) : null;
}

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/backlogs");

describe("the linear block reader of backlogs against micromark's blocks", () => {
  it("reads every fixture backlog the same: items, states, numbers, lines, spans, boxes, phases, sections, legend", () => {
    for (const name of readdirSync(fixtures).filter((f) => f.endsWith(".md") && f !== "README.md")) {
      const body = readFileSync(path.join(fixtures, name), "utf8");
      const parsed = parseMarkdownWithMicromarkBlocks(body);
      if (!parsed.ok) throw new Error(parsed.error);
      expect(parseShapedBacklog(body), name).toEqual(backlogFromTree(body, parsed.value.tree, parsed.value.offsetBase));
    }
  });

  it("reads generated backlogs the same", () => {
    fc.assert(
      fc.property(generatedBacklog, ({ body }) => {
        expect(parseShapedBacklog(body)).toEqual(withMicromarkBlocks(body));
      }),
      { numRuns: 500, seed: 20261202 },
    );
  });

  // Block structure: nesting by indentation and tabs, quotes, lazy lines, fences and HTML inside items, setext headings, tables.
  const BLOCK_TOKENS = ["- ", "* ", "1. ", "2) ", "  ", "   ", "    ", "\t", "\n", "\n\n", "\r\n", "> ", "[ ] ", "[x] ", "[-] ", "a", "1.1 b", "```", "~~~", "<!--", "-->", "<div>", "| a |", "|---|", "# ", "## Phase 2: ", "===", "---", "[AI]", "[AI]: /u", "~~", "*"];
  const blocky = fc.array(fc.constantFrom(...BLOCK_TOKENS), { maxLength: 30 }).map((t) => t.join(""));

  it("reads block-heavy markdown the same", { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(blocky, (body) => {
        expect(parseShapedBacklog(body)).toEqual(withMicromarkBlocks(body));
      }),
      { numRuns: Number(process.env.ORACLE_RUNS ?? 3000), seed: Number(process.env.ORACLE_SEED ?? 20261202) },
    );
  });

  it("reads markdown-ish text the same", { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(markdownish, (body) => {
        expect(parseShapedBacklog(body)).toEqual(withMicromarkBlocks(body));
      }),
      { numRuns: Number(process.env.ORACLE_RUNS ?? 3000), seed: Number(process.env.ORACLE_SEED ?? 20261202) },
    );
  });
});
