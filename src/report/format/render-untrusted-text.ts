import { neutralizeUserText } from "./neutralize-user-text.js";

/**
 * Text from a pull request (plot titles, field names, class labels) made safe in GitHub
 * markdown: markdown punctuation escaped, HTML inert, @mentions and links neutralised
 * (`neutralizeUserText`) so they neither ping nor link, control characters and newlines gone, length capped.
 */
export function renderUntrustedText(text: string, max = 120, options: { trim?: boolean } = {}): string {
  const cut = cleanText(text, max, options.trim ?? true);
  return neutralizeUserText(cut.replace(/[\\`*_{}[\]()<>#!|~&]/g, (c) => `\\${c}`));
}

/**
 * Inline code that holds any text: a fence longer than the longest run of backticks inside.
 * In a table cell (`table`), pipes are escaped as GFM requires there.
 */
export function renderUntrustedCode(text: string, options: { max?: number; table?: boolean } = {}): string {
  const max = options.max ?? 120;
  const cut = cleanText(text, max);
  const longest = Math.max(0, ...(cut.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = cut.startsWith("`") || cut.endsWith("`") || cut === "" ? " " : "";
  const code = `${fence}${pad}${cut}${pad}${fence}`;
  return options.table ? code.replaceAll("|", "\\|") : code;
}

/** A string for a double-quoted Mermaid label: no quotes, entities, brackets or fences. */
export function renderMermaidText(text: string, max = 60): string {
  return cleanText(text, max)
    .replace(/["`#%;{}<>[\]\\]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function cleanText(text: string, max: number, trim = true): string {
  // eslint-disable-next-line no-control-regex
  const spaced = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
  const flat = trim ? spaced.trim() : spaced;
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
