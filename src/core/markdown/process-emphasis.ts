import type { Entry, InlineList } from "./inline-list.js";

export interface Delimiter {
  readonly char: "*" | "_" | "~";
  /** Characters of the run not yet used by a match. */
  count: number;
  readonly canOpen: boolean;
  readonly canClose: boolean;
  readonly entry: Entry;
  previous: Delimiter | null;
  next: Delimiter | null;
}

const WHITESPACE = /\s/u;
const PUNCTUATION = /\p{P}|\p{S}/u;
const enum Kind {
  Other = 0,
  Whitespace = 1,
  Punctuation = 2,
}

/**
 * The run of `*`, `_` or `~` at `at`: where it ends and whether it may open or close
 * emphasis (CommonMark's flanking rules, as micromark applies them; `~` as GFM's
 * strikethrough: runs of one or two only). Null for a run that is plain text.
 */
export function readDelimiterRun(raw: string, at: number): { char: Delimiter["char"]; end: number; canOpen: boolean; canClose: boolean } | null {
  const char = raw[at] as Delimiter["char"];
  let end = at;
  while (raw[end] === char) end++;
  if (char === "~" && end - at > 2) return null;
  const before = classify(characterBefore(raw, at));
  const after = classify(raw.codePointAt(end));
  // As micromark (GFM): a `*` or `_` run touching a `~` may open (`~` after it) or close (`~` before it).
  const tilde = char !== "~";
  const open = after === Kind.Other || (after === Kind.Punctuation && before !== Kind.Other) || (tilde && raw[end] === "~");
  const close = before === Kind.Other || (before === Kind.Punctuation && after !== Kind.Other) || (tilde && raw[at - 1] === "~");
  const canOpen = char === "_" ? open && (before !== Kind.Other || !close) : open;
  const canClose = char === "_" ? close && (after !== Kind.Other || !open) : close;
  return canOpen || canClose ? { char, end, canOpen, canClose } : null;
}

function characterBefore(raw: string, at: number): number | undefined {
  if (at === 0) return undefined;
  const unit = raw.charCodeAt(at - 1);
  return unit >= 0xdc00 && unit <= 0xdfff && at >= 2 ? raw.codePointAt(at - 2) : unit;
}

function classify(code: number | undefined): Kind {
  if (code === undefined) return Kind.Whitespace;
  if (code < 0x80) {
    if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return Kind.Whitespace;
    const alphanumeric = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    return alphanumeric || code < 0x20 || code === 0x7f ? Kind.Other : Kind.Punctuation;
  }
  const char = String.fromCodePoint(code);
  if (WHITESPACE.test(char)) return Kind.Whitespace;
  return PUNCTUATION.test(char) ? Kind.Punctuation : Kind.Other;
}

/**
 * CommonMark's "process emphasis" over the delimiters above `bottom` (up to `top`), with
 * openers-bottom so that a closer never searches the same openers twice: linear. Matched runs
 * become emphasis, strong or delete nodes in `list`; every delimiter above `bottom` is used up
 * or left as text, so the caller's stack top becomes `bottom`.
 */
export function processEmphasis(list: InlineList, top: Delimiter | null, bottom: Delimiter | null): void {
  let closer: Delimiter | null = null;
  for (let above = top; above && above !== bottom; above = above.previous) closer = above;
  const openersBottom = new Map<string, Delimiter | null>();
  while (closer) {
    if (!closer.canClose) {
      closer = closer.next;
      continue;
    }
    const key = `${closer.char}${closer.canOpen ? 1 : 0}${closer.count % 3}`;
    const floor = openersBottom.has(key) ? openersBottom.get(key) : bottom;
    let opener = closer.previous;
    while (opener && opener !== bottom && opener !== floor && !matches(opener, closer)) opener = opener.previous;
    if (opener && opener !== bottom && opener !== floor) {
      closer = applyMatch(list, opener, closer);
      continue;
    }
    openersBottom.set(key, closer.previous);
    const next = closer.next;
    if (!closer.canOpen) unlink(closer);
    closer = next;
  }
  if (bottom) bottom.next = null;
}

function matches(opener: Delimiter, closer: Delimiter): boolean {
  if (opener.char !== closer.char || !opener.canOpen) return false;
  if (closer.char === "~") return opener.count === closer.count;
  // The rule of three on what is left of each run, as micromark applies it (CommonMark's text says the runs' lengths).
  const oddMatch = (closer.canOpen || opener.canClose) && closer.count % 3 !== 0 && (opener.count + closer.count) % 3 === 0;
  return !oddMatch;
}

/** Wraps what lies between `opener` and `closer`; returns the delimiter to look at next. */
function applyMatch(list: InlineList, opener: Delimiter, closer: Delimiter): Delimiter | null {
  const use = closer.char === "~" ? closer.count : closer.count >= 2 && opener.count >= 2 ? 2 : 1;
  opener.count -= use;
  closer.count -= use;
  opener.entry.node = { type: "text", value: opener.char.repeat(opener.count) };
  closer.entry.node = { type: "text", value: closer.char.repeat(closer.count) };
  const type = closer.char === "~" ? "delete" : use === 2 ? "strong" : "emphasis";
  list.wrapBetween(opener.entry, closer.entry, (children) => ({ type, children }));
  opener.next = closer;
  closer.previous = opener;
  if (opener.count === 0) {
    list.remove(opener.entry);
    unlink(opener);
  }
  if (closer.count > 0) return closer;
  list.remove(closer.entry);
  const next = closer.next;
  unlink(closer);
  return next;
}

function unlink(delimiter: Delimiter): void {
  if (delimiter.previous) delimiter.previous.next = delimiter.next;
  if (delimiter.next) delimiter.next.previous = delimiter.previous;
}
