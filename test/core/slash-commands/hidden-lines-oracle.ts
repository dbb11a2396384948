import type { Nodes } from "mdast";
import { parseMarkdownWithMicromark as parseMarkdown } from "../../helpers/parse-markdown-with-micromark.js";
import { err, ok, type Result } from "../../../src/core/result.js";

const quoteLine = /^ {0,3}>/;

/**
 * The reader of hidden lines before it was made linear (mdast: seconds on a long comment), kept
 * as the oracle the linear one is compared with.
 *
 * The 1-based lines of a comment where no command can stand, as GitHub's markdown parser
 * (mdast, the one the backlog uses) sees them: code (fenced, to the end when unclosed, or
 * indented), HTML comments (block or inline, over as many lines as they span), and quoted
 * lines (those that start with `>`; a lazy line after a quote that does not is the writer's
 * own). An error when the markdown cannot be read (pathological nesting).
 */
export function findHiddenLinesWithMdast(body: string, lines: readonly string[]): Result<ReadonlySet<number>, string> {
  const parsed = parseMarkdown(body);
  if (!parsed.ok) return err(parsed.error);
  const hidden = new Set<number>();
  const span = (node: Nodes, keep: (line: number) => boolean = () => true) => {
    for (let line = node.position?.start.line ?? 0; line <= (node.position?.end.line ?? -1); line++) if (keep(line)) hidden.add(line);
  };
  const visit = (node: Nodes): void => {
    if (node.type === "code") return span(node);
    if (node.type === "html" && node.value.trimStart().startsWith("<!--")) return span(node);
    if (node.type === "blockquote") span(node, (line) => quoteLine.test(lines[line - 1] ?? ""));
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(parsed.value.tree);
  return ok(hidden);
}
