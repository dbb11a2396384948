import fc from "fast-check";
import type { Nodes } from "mdast";
import { describe, expect, it } from "vitest";
import { findItemReferences } from "../../../src/core/backlog/find-item-references.js";
import { toPlainText } from "../../../src/core/backlog/to-plain-text.js";
import { parseMarkdownWithMicromark } from "../../helpers/parse-markdown-with-micromark.js";
import { markdownish } from "./markdown-arbitraries.js";

const refs = (body: string) => findItemReferences(body).map((r) => `${r.repo ?? ""}#${r.issue} ${r.role ? `[${r.role}] ` : ""}${r.number} (L${r.line})`);

describe("findItemReferences", () => {
  it("reads the plain form, with and without a role", () => {
    expect(refs("Completes #12 [AI] 2.6")).toEqual(["#12 [AI] 2.6 (L1)"]);
    expect(refs("This PR completes #12 2.6.")).toEqual(["#12 2.6 (L1)"]);
  });

  it("reads several items per phrase and several phrases per body", () => {
    const body = "Completes #12 [AI] 2.6, 2.7 and [HUMAN] 0.1.\n\nAlso finishes item #12: 3.1 & 3.2, and implements #14 1.1\n";
    expect(refs(body)).toEqual([
      "#12 [AI] 2.6 (L1)",
      "#12 2.7 (L1)",
      "#12 [HUMAN] 0.1 (L1)",
      "#12 3.1 (L3)",
      "#12 3.2 (L3)",
      "#14 1.1 (L3)",
    ]);
  });

  it("switches issue inside one phrase", () => {
    expect(refs("Completes #12 2.6 and #14 1.1, 1.2")).toEqual(["#12 2.6 (L1)", "#14 1.1 (L1)", "#14 1.2 (L1)"]);
  });

  it("reads the verb forms and the optional word item(s), in any case", () => {
    const body = ["COMPLETED #1 1.1", "Complete items #1 1.2", "finished #1 item 1.3", "Implemented #1 - 1.4", "Finish #1 [ai] 1.5"].join("\n\n");
    expect(refs(body)).toEqual(["#1 1.1 (L1)", "#1 1.2 (L3)", "#1 1.3 (L5)", "#1 1.4 (L7)", "#1 [AI] 1.5 (L9)"]);
  });

  it("reads references to other repositories and issue URLs", () => {
    expect(findItemReferences("Completes acme/platform#12 2.6 and completes https://github.com/acme/infra/issues/3 [AI] 1.1").map((r) => [r.repo, r.issue, r.role, r.number])).toEqual([
      ["acme/platform", 12, null, "2.6"],
      ["acme/infra", 3, "AI", "1.1"],
    ]);
  });

  it("keeps the phrase each reference came from", () => {
    expect(findItemReferences("We completes #12 [AI] 2.6,\n2.7 today").map((r) => r.phrase)).toEqual(["completes #12 [AI] 2.6, 2.7", "completes #12 [AI] 2.6, 2.7"]);
  });

  it("ignores GitHub's closing keywords, issue-only mentions and words that merely contain a verb", () => {
    expect(refs("Closes #12 2.6\n\nFixes #12 2.6\n\nCompletes #12\n\nCompletes #12 and fixes 3 bugs\n\nincompletes #12 2.6\n\nCompletes 2.6")).toEqual([]);
  });

  it("ignores code, block quotes and HTML comments (PR templates)", () => {
    const body = [
      "<!-- Completes #12 2.1 -->",
      "",
      "Write `Completes #12 2.2` to tick an item.",
      "",
      "```",
      "Completes #12 2.3",
      "```",
      "",
      "> Completes #12 2.4",
      "",
      "- Completes #12 2.5",
    ].join("\n");
    expect(refs(body)).toEqual(["#12 2.5 (L11)"]);
  });

  it("reports a repeated reference once", () => {
    expect(refs("Completes #12 2.6\n\ncompletes #12 02.6 and #12 2.6")).toEqual(["#12 2.6 (L1)"]);
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, fc.string({ unit: "binary", maxLength: 200 })), (body) => {
        for (const r of findItemReferences(body)) expect(r.number).toMatch(/^\d+(\.\d+)*$/);
      }),
      { numRuns: 300 },
    );
    expect(findItemReferences(`${"> ".repeat(12_000)}Completes #1 1.1`)).toEqual([]);
  });
});

/** The reader before this one: micromark's GFM tree, paragraphs, headings and cells outside quotes. Quadratic on hostile bodies. */
function micromarkReferences(body: string): string[] {
  const parsed = parseMarkdownWithMicromark(body);
  if (!parsed.ok) return [];
  const texts: string[] = [];
  const stack: Nodes[] = [parsed.value.tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "paragraph" || node.type === "heading" || node.type === "tableCell") texts.push(`L${node.position?.start.line} ${toPlainText(node, { code: false })}`);
    else if ("children" in node && node.type !== "blockquote") for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return texts;
}

describe("findItemReferences on hostile and odd bodies", () => {
  const TOKENS = ["Completes #12 1.1", "completes #3 [AI] 2.6, 2.7", " and 4.1", "\n", "\n\n", "> ", "- ", "1. ", "    ", "```", "~~~", "<!--", "-->", "<div>", "| a |", "|---|", "# ", "Title\n===", "`", "*", "[x](", ")", "\\", "  "];
  const body = fc.array(fc.constantFrom(...TOKENS), { maxLength: 16 }).map((t) => t.join(""));

  it("finds what micromark's tree held, on bodies made of markdown's block tokens", () => {
    fc.assert(
      fc.property(body, (text) => {
        const ours = findItemReferences(text).map((r) => `${r.issue} ${r.number}`);
        // Each block's plain text, escaped so that reading it again as markdown gives back the same text.
        const escaped = (t: string) => t.slice(t.indexOf(" ") + 1).replace(/\s+/g, " ").trim().replace(/[!-/:-@[-`{-~]/g, "\\$&");
        const theirs = micromarkReferences(text).flatMap((t) => findItemReferences(escaped(t)).map((r) => `${r.issue} ${r.number}`));
        expect(new Set(ours)).toEqual(new Set(theirs));
      }),
      { numRuns: 3000, seed: 20261202 },
    );
  });

  it("ends a list item that began empty at the next blank line, as CommonMark does (what follows is indented code)", () => {
    expect(refs("1. \n\n    Completes #12 1.1")).toEqual([]);
    expect(refs("1. \n    Completes #12 1.1")).toEqual(["#12 1.1 (L2)"]);
  });

  // micromark's block reader took minutes on these (64 KB); ours reads them in one pass.
  it("reads 64 KB of nested list and quote markers and still finds the reference after them", () => {
    for (const bomb of ["1. ".repeat(21_000), "> - ".repeat(16_000), "- ".repeat(32_000), `${Array.from({ length: 2000 }, () => "- ".repeat(16) + "x").join("\n")}`, `| a | b |\n|---|---|\n${"| x | y |\n".repeat(6000)}`]) {
      expect(refs(`${bomb}\n\nCompletes #12 1.1`)).toHaveLength(1);
    }
  });
});
