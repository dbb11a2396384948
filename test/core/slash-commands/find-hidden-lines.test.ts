import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findHiddenLines } from "../../../src/core/markdown/scan-blocks.js";
import { commentText } from "../../fuzz/fuzz-arbitraries.js";
import { findHiddenLinesWithMdast } from "./hidden-lines-oracle.js";

const slashLine = /^ {0,3}\/([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+(.*))?$/;
const hiddenCommands = (body: string) => {
  const lines = body.split(/\r?\n|\r/);
  const candidates = lines.flatMap((t, i) => (slashLine.test(t.trimEnd()) ? [i + 1] : []));
  const oracle = findHiddenLinesWithMdast(body, lines);
  const hidden = findHiddenLines(lines);
  return { candidates, linear: candidates.filter((l) => hidden.has(l)), mdast: oracle.ok ? candidates.filter((l) => oracle.value.has(l)) : undefined };
};

/** Markdown made of the pieces that hide a line or change where blocks start and end. */
const blocks = fc
  .array(
    fc.constantFrom("```", "~~~", "- ", "1. ", "2) ", "> ", "<!--", "-->", "<!-- x -->", "<!-->", "/train", "/help a=1", "  ", "    ", "\n", "\n\n", "`", "``", "\\", "<div>", "</div>", "<script>", "x", "# h", "---", "===", "* * *", "[^1]: x", "| a | b |\n|---|---|\n", "\t", "\u2028"),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("findHiddenLines (linear)", () => {
  it("hides exactly the command lines the markdown parser hides (mdast, GFM), on any comment", () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 1, arbitrary: commentText }, { weight: 6, arbitrary: blocks }), (body) => {
        const { candidates, linear, mdast } = hiddenCommands(body);
        if (candidates.length === 0 || mdast === undefined) return;
        compared++;
        expect(linear, JSON.stringify(body)).toEqual(mdast);
      }),
      { numRuns: 3000 },
    );
    expect(compared).toBeGreaterThan(100);
  });

  it("finds fences, comments and tables in list items and quotes, as GitHub renders them", () => {
    const cases: Array<[string, number[]]> = [
      ["- ```\n  /train\n  ```\n/help", [2]],
      ["- ```\n/train", []],
      ["1. <!--\n   /train\n   -->\n/help", [2]],
      ["a <!-- b\n/train\nc -->\n/help", [2]],
      ["`<!--`\n/train\n-->", []],
      ["/help a <!-- b -->", [1]],
      ["a | b\n--|--\nx <!-- x\n/train\n-->", []],
      ["a | b\n--|--\n<!-- x\n/train\n-->", [4]],
    ];
    for (const [body, hidden] of cases) expect(hiddenCommands(body).linear, body).toEqual(hidden);
  });
});
