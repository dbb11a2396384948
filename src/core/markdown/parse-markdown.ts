import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { err, ok, type Result } from "../result.js";

/**
 * Markdown -> GFM syntax tree whose offsets index `text` itself. micromark drops a leading
 * byte-order mark from its offsets, so the BOM is cut off here and `offsetBase` (0 or 1) must
 * be added to every `position.*.offset`. Never throws: micromark overflows the call stack on
 * pathologically deep nesting (thousands of `>` or list levels), which comes back as an error.
 */
export function parseMarkdown(text: string): Result<{ tree: Root; offsetBase: number }, string> {
  const offsetBase = text.startsWith("\uFEFF") ? 1 : 0;
  try {
    const tree = fromMarkdown(text.slice(offsetBase), { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    return ok({ tree, offsetBase });
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
}
