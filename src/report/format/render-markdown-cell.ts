import { neutralizeUserText } from "./neutralize-user-text.js";

/**
 * Text safe inside a GFM table cell: pipes escaped, newlines as spaces, and (cells show paths,
 * keys and values from pull requests) mentions and links neutralised.
 */
export function renderMarkdownCell(text: string): string {
  return neutralizeUserText(text.replace(/\r?\n/g, " ").replaceAll("|", "\\|"));
}

/** A path as inline code in a table cell, fenced by more backticks than any run inside it. */
export function renderCodeCell(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 ? " " : "";
  return renderMarkdownCell(`${fence}${pad}${text}${pad}${fence}`);
}
