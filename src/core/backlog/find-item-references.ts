import type { ItemReference } from "./item-reference.js";
import { normalizeItemNumber } from "./normalize-item-number.js";
import { parseInline } from "../markdown/parse-inline.js";
import { findTextBlocks } from "../markdown/scan-blocks.js";
import { toPlainText } from "./to-plain-text.js";

const NO_DEFINITIONS = { links: new Set<string>(), footnotes: new Set<string>() };

const verb = /(?<![\w/-])(?:complete[sd]?|finish(?:e[sd])?|implement(?:s|ed)?)(?:\s+items?)?\s+/gi;
const issueRef = /(?:([\w.-]+\/[\w.-]+)?#(\d+)|https?:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/issues\/(\d+))(?![\w/])/y;
const issueSeparator = /\s*[:,–—-]?\s*(?:items?\s+)?/iy;
const itemRef = /(?:\[([A-Za-z][A-Za-z0-9 _/&+-]{0,30})\]\s*)?(\d+(?:\.\d+)*)(?!\w|\.\d)/y;
const listSeparator = /\s*(?:,\s*and\b|,|&|\+|\band\b)\s*/iy;

/**
 * Pull-request body -> the backlog items it says it completes. Grammar (case-insensitive):
 *
 *     reference := verb ["item" | "items"] issue [":" | "," | "-"] ["item" | "items"] item { sep [issue] item }
 *     verb      := complete | completes | completed | finish | finishes | finished
 *                | implement | implements | implemented
 *     issue     := "#" N | owner "/" repo "#" N | "https://github.com/" owner "/" repo "/issues/" N
 *     item      := ["[" ROLE "]"] N { "." N }
 *     sep       := "," | "&" | "+" | "and" | ", and"
 *
 * e.g. `Completes #12 [AI] 2.6`, `completes #12: 2.6, 2.7 and [HUMAN] 0.1`,
 * `Finishes item #12 3.1 and #14 1.2`. GitHub's own closing keywords (closes, fixes,
 * resolves) are not used: `Closes #12 2.6` would close the whole issue. Text in code, block
 * quotes and HTML comments (PR templates) is ignored; duplicates are reported once. Read
 * with the linear block scanner and inline reader (a pull request body is anyone's text):
 * linear in the body. Pure; never throws.
 */
export function findItemReferences(body: string): ItemReference[] {
  const found: ItemReference[] = [];
  const seen = new Set<string>();
  for (const block of findTextBlocks(body.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/))) {
    if (block.quoted) continue;
    const text = toPlainText({ type: "paragraph", children: parseInline(block.text, NO_DEFINITIONS) }, { code: false });
    for (const reference of scan(text, block.line)) {
      const key = [reference.repo?.toLowerCase(), reference.issue, reference.role, normalizeItemNumber(reference.number)].join("|");
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(reference);
    }
  }
  return found;
}

function scan(text: string, firstLine: number): ItemReference[] {
  const references: ItemReference[] = [];
  // Line endings counted once, as the matches move forward (counting from the start each time was quadratic).
  const breaks = /\r\n|\r|\n/g;
  let nextBreak = breaks.exec(text);
  let line = firstLine;
  verb.lastIndex = 0;
  for (let match = verb.exec(text); match; match = verb.exec(text)) {
    const phrase = readPhrase(text, verb.lastIndex);
    if (!phrase) continue;
    while (nextBreak && nextBreak.index < match.index) {
      line++;
      nextBreak = breaks.exec(text);
    }
    const words = text.slice(match.index, phrase.end).replace(/\s+/g, " ");
    references.push(...phrase.items.map((item) => ({ ...item, phrase: words, line })));
    verb.lastIndex = phrase.end;
  }
  return references;
}

type Found = Omit<ItemReference, "phrase" | "line">;

/** `#12 [AI] 2.6, 2.7 and #14 1.1` from `at` -> the items, and where the phrase ends. */
function readPhrase(text: string, at: number): { items: Found[]; end: number } | null {
  let issue = readIssue(text, at);
  if (!issue) return null;
  let item = readItem(text, skip(issueSeparator, text, issue.end));
  if (!item) return null;
  const items: Found[] = [];
  for (;;) {
    items.push({ repo: issue.repo, issue: issue.number, role: item.role, number: item.number });
    at = item.end;
    const separated = skip(listSeparator, text, at);
    if (separated === at) break;
    const nextIssue = readIssue(text, separated);
    const next = readItem(text, nextIssue ? skip(issueSeparator, text, nextIssue.end) : separated);
    if (!next) break;
    if (nextIssue) issue = nextIssue;
    item = next;
  }
  return { items, end: at };
}

function readIssue(text: string, at: number): { repo: string | null; number: number; end: number } | null {
  issueRef.lastIndex = at;
  const match = issueRef.exec(text);
  if (!match) return null;
  return { repo: match[1] ?? match[3] ?? null, number: Number(match[2] ?? match[4]), end: issueRef.lastIndex };
}

function readItem(text: string, at: number): { role: string | null; number: string; end: number } | null {
  itemRef.lastIndex = at;
  const match = itemRef.exec(text);
  if (!match?.[2]) return null;
  return { role: match[1]?.trim().toUpperCase() ?? null, number: match[2], end: itemRef.lastIndex };
}

/** Position after `pattern` (sticky) matched at `at`, or `at` when it does not match. */
function skip(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.exec(text) ? pattern.lastIndex : at;
}
