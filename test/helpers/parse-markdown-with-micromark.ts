import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { err, ok, type Result } from "../../src/core/result.js";

/**
 * micromark's own GFM reader, inline constructs included: the reference for what GitHub makes
 * of markdown (an oracle for tests, the baseline of bench:backlog). Quadratic or worse on some
 * inline input (64 KB of `*a*a…`: tens of seconds), which is why the bot reads markdown with
 * src/core/markdown/parse-markdown.ts. Offsets index `text` once `offsetBase` is added (a
 * leading BOM is cut off). Never throws.
 */
export function parseMarkdownWithMicromark(text: string): Result<{ tree: Root; offsetBase: number }, string> {
  const offsetBase = text.startsWith("\uFEFF") ? 1 : 0;
  try {
    const tree = fromMarkdown(text.slice(offsetBase), { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    return ok({ tree, offsetBase });
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
}
