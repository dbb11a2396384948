import type { Nodes } from "mdast";
import { describe, expect, it } from "vitest";
import { parseMarkdownWithMicromark as parseMarkdown } from "../helpers/parse-markdown-with-micromark.js";
import { neutralizeUserText } from "../../src/report/format/neutralize-user-text.js";
import { renderCodeCell, renderMarkdownCell } from "../../src/report/format/render-markdown-cell.js";
import { renderReply } from "../../src/report/replies/render-reply.js";

const hostile = [
  "@octocat",
  "cc @my-org/security-team please",
  "mail me: someone@example.com",
  "see https://evil.example/phish and http://x.y",
  "www.evil.example/login",
  "[click](https://evil.example) ![img](https://evil.example/a.png)",
  "[ref][1]\n\n[1]: https://evil.example",
  "<a href=\"https://evil.example\">x</a> <img src=x onerror=alert(1)> <https://evil.example> <details><summary>ok</summary></details>",
  "fixes #12 and other/repo#34",
];

/** Links, images, autolinks and raw HTML GitHub's markdown (GFM) would make of `text`. */
function linksIn(text: string): string[] {
  const parsed = parseMarkdown(text);
  if (!parsed.ok) throw new Error(parsed.error);
  const found: string[] = [];
  const walk = (node: Nodes): void => {
    if (node.type === "link" || node.type === "image" || node.type === "linkReference" || node.type === "imageReference") found.push(node.type);
    // Formatting HTML (the bot's own <details>) may stay; anything that links or embeds may not.
    if (node.type === "html" && !/^<\/?(details|summary)>$/.test(node.value)) found.push(`html ${node.value}`);
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(parsed.value.tree);
  return found;
}

/** `@` directly followed by a login character: what GitHub turns into a mention. */
const MENTION = /@[A-Za-z0-9_-]/;
/** `#123`, `owner/repo#123`: what GitHub turns into an issue reference. */
const REFERENCE = /#\d/;

describe("neutralizeUserText", () => {
  it.each(hostile)("leaves nothing GitHub would link or mention in %j", (text) => {
    expect(linksIn(text).length + (MENTION.test(text) ? 1 : 0) + (REFERENCE.test(text) ? 1 : 0)).toBeGreaterThan(0); // the case is real
    const safe = neutralizeUserText(text);
    expect(linksIn(safe)).toEqual([]);
    expect(safe).not.toMatch(MENTION);
    expect(safe).not.toMatch(REFERENCE);
    expect(safe.replaceAll("\u200b", "")).toBe(text); // reads the same
    expect(neutralizeUserText(safe)).toBe(safe); // twice is once
  });

  it("is applied by replies (quoted command and message) and by table cells", () => {
    const reply = renderReply({ author: "alice", sections: [{ raw: "/train note=@org/team", message: "`note=@org/team` see https://evil.example" }] });
    expect(reply.startsWith("@alice\n")).toBe(true); // the author, and only the author, is mentioned
    expect(reply.slice("@alice".length)).not.toMatch(MENTION);
    expect(linksIn(reply)).toEqual([]);
    for (const cell of [renderMarkdownCell("@team https://x.y"), renderCodeCell("data/``@team``/https://x.y")]) {
      expect(cell).not.toMatch(MENTION);
      expect(linksIn(`| a |\n| - |\n| ${cell} |`)).toEqual([]);
    }
    expect(renderCodeCell("a``b")).toBe("``` a``b ```");
  });
});
