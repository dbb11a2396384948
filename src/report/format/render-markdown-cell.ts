/** Text safe inside a GFM table cell: pipes escaped, newlines as spaces. */
export function renderMarkdownCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replaceAll("|", "\\|");
}

/** A path as inline code in a table cell (a backtick inside gets a longer fence). */
export function renderCodeCell(text: string): string {
  const fence = text.includes("`") ? "`` " : "`";
  return renderMarkdownCell(`${fence}${text}${fence.split("").reverse().join("")}`);
}
