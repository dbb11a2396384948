import type { PhrasingContent, Root } from "mdast";
import { describe, expect, it } from "vitest";
import { toPlainText } from "../../../src/core/backlog/to-plain-text.js";
import { parseInline } from "../../../src/core/markdown/parse-inline.js";
import { parseMarkdownWithMicromarkBlocks as parseMarkdown } from "../../helpers/parse-markdown-with-micromark-blocks.js";

const none = { links: new Set<string>(), footnotes: new Set<string>() };
const plain = (nodes: PhrasingContent[]) => toPlainText({ type: "paragraph", children: nodes });
const types = (nodes: PhrasingContent[]) => nodes.map((n) => n.type);

function tree(text: string): Root {
  const parsed = parseMarkdown(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value.tree;
}

describe("parseInline", () => {
  it("reads emphasis, strong and strikethrough, leaving unmatched runs as text", () => {
    expect(types(parseInline("*a* **b** ~~c~~ ~d~", none))).toEqual(["emphasis", "text", "strong", "text", "delete", "text", "delete"]);
    expect(plain(parseInline("***a** b* *c **d", none))).toBe("a b *c **d");
    expect(plain(parseInline("snake_case_name 2*3*4", none))).toBe("snake_case_name 234");
    expect(plain(parseInline("~~~a~~~", none))).toBe("~~~a~~~");
  });

  it("keeps link text and image descriptions, drops destinations and titles", () => {
    const nodes = parseInline('[the *doc*](https://x.y/a_(b) "T") ![an *image*](i.png) [x](<a b> \'t\')', none);
    expect(types(nodes)).toEqual(["link", "text", "image", "text", "link"]);
    expect(nodes[0]).toMatchObject({ url: "https://x.y/a_(b)", title: "T" });
    expect(nodes[2]).toMatchObject({ alt: "an image" });
    expect(plain(nodes)).toBe("the doc an image x");
    expect(plain(parseInline("[a](b c) [a](b(c) [a]( b )", none))).toBe("[a](b c) [a](b(c) a");
  });

  it("makes links of references the document defines only, and links never contain links", () => {
    const definitions = { links: new Set(["ai", "x y"]), footnotes: new Set(["1"]) };
    expect(types(parseInline("[AI] [X  Y][] [t][ai] [nope] [^1] [^2]", definitions))).toEqual(["linkReference", "text", "linkReference", "text", "linkReference", "text", "footnoteReference", "text"]);
    expect(plain(parseInline("[AI] [t][ai] [^1]", definitions))).toBe("[AI] t ");
    expect(types(parseInline("[a [b](c) d](e)", none))).toEqual(["text", "link", "text"]);
  });

  it("reads code spans, autolinks, inline HTML, escapes, entities and hard breaks", () => {
    const nodes = parseInline("`a *b*` ``c`d`` <https://x.y> <m@x.y> <b>z</b> <!-- c --> \\*e\\* &amp;&#35;&#x41;&nope; f\\\ng", none);
    expect(types(nodes)).toEqual(["inlineCode", "text", "inlineCode", "text", "link", "text", "link", "text", "html", "text", "html", "text", "html", "text", "break", "text"]);
    expect(nodes[2]).toMatchObject({ value: "c`d" });
    expect(nodes[6]).toMatchObject({ url: "mailto:m@x.y" });
    expect(plain(nodes)).toBe("a *b* c`d https://x.y m@x.y z  *e* &#A&nope; f\ng");
    expect(plain(parseInline("`unclosed ``and a", none))).toBe("`unclosed ``and a");
  });
});

describe("parseMarkdown", () => {
  it("reads blocks with micromark and their text with parseInline: cells unescape pipes, definitions apply", () => {
    const root = tree("# A *b*\n\n- [x] [doc](u) ~~c~~\n\n| `a\\|b` | [r] |\n|---|---|\n\n[r]: /r");
    expect(toPlainText(root)).toBe("A bdoc ca|b[r]");
    const list = root.children[1];
    expect(list?.type === "list" && list.children[0]?.checked).toBe(true);
  });

  // Each of these took micromark seconds to tens of seconds (64 KB); the reader must stay linear.
  // Their time is measured by `npm run fuzz`; here, that nothing is lost or invented.
  it("reads 64 KB inline bombs without losing text", () => {
    const count = (text: string, char: string) => text.split(char).length - 1;
    const starred = toPlainText(tree("*a".repeat(32768)));
    expect(count(starred, "a")).toBe(32768);
    for (const bomb of ["[a](".repeat(16384), "](".repeat(32768), "<!--".repeat(16384), "[".repeat(65536), "![".repeat(32768), '[a](b "'.repeat(9362), "[a](<".repeat(13107), "[a][".repeat(16384)]) {
      expect(toPlainText(tree(`a ${bomb}`))).toBe(`a ${bomb}`);
    }
    expect(count(toPlainText(tree("~~a".repeat(21845))), "a")).toBe(21845);
    const nested = "[".repeat(30000) + "a" + "](x)".repeat(8000);
    expect(toPlainText(tree(nested))).toBe("[".repeat(29999) + "a" + "](x)".repeat(7999));
    const emphasis = "*".repeat(30000) + "a" + "*".repeat(30000);
    expect(toPlainText(tree(emphasis))).toBe("a");
  });
});
