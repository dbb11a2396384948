import { Scalar } from "yaml";
import { unfoldLines, unquoteDouble, unquoteSingle } from "./unfold-yaml-lines.js";
import type { YamlSource } from "./yaml-source.js";

/** A scalar and the line after the last one it used. */
export interface ReadScalar {
  readonly node: Scalar;
  /** Offset after the scalar. */
  readonly end: number;
  /** The line the scalar ends on. */
  readonly line: number;
}

/**
 * A plain scalar in block context, from `start` on `line`, continued on the following lines
 * indented more than `parentIndent` (folded as YAML folds them). A `key: value` inside it, or
 * a continuation after a comment, is not read.
 */
export function readBlockPlain(src: YamlSource, start: number, line: number, parentIndent: number): ReadScalar {
  let { end, comment } = scanPlainLine(src, start, line);
  let last = line;
  for (let j = line + 1; j < src.count && !comment; j++) {
    if (src.contents[j] === src.ends[j]) continue; // blank: folded into the value if a continuation follows
    if (src.text.charCodeAt(src.contents[j]!) === 35 || src.indents[j]! <= parentIndent) break;
    if (src.indents[j] === 0) checkNotMarker(src, j);
    ({ end, comment } = scanPlainLine(src, src.contents[j]!, j));
    last = j;
  }
  return { node: src.plainScalar(unfoldLines(src.text.slice(start, end)), start, end), end, line: last };
}

/** End of a plain scalar's text on one line (before a comment and trailing spaces). */
function scanPlainLine(src: YamlSource, start: number, line: number): { end: number; comment: boolean } {
  const { text } = src;
  const lineEnd = src.ends[line]!;
  let end = start;
  for (let i = start; i < lineEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 9) src.fail(i, "a tab in a plain value");
    if (c === 35 && text.charCodeAt(i - 1) === 32) return { end, comment: true };
    if (c === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) src.fail(i, "a `key: value` inside a value");
    if (c !== 32) end = i + 1;
  }
  return { end, comment: false };
}

/**
 * A plain scalar in a flow collection: up to `,`, a bracket, `: `, a comment, or the end of its
 * last line (it goes on over lines indented more than `parentIndent` that do not start with one).
 */
export function readFlowPlain(src: YamlSource, start: number, line: number, parentIndent: number): ReadScalar {
  let { end, stopped } = scanFlowPlainLine(src, start, line);
  let last = line;
  for (let j = line + 1; j < src.count && !stopped; j++) {
    if (src.contents[j] === src.ends[j]) continue;
    const first = src.text[src.contents[j]!]!;
    if (",]}#".includes(first) || src.indents[j]! <= parentIndent) break;
    if (first === ":" && /^:(?:[ ,\]}]|$)/.test(src.text.slice(src.contents[j], src.contents[j]! + 2))) break;
    if (src.indents[j] === 0) checkNotMarker(src, j);
    ({ end, stopped } = scanFlowPlainLine(src, src.contents[j]!, j));
    last = j;
  }
  return { node: src.plainScalar(unfoldLines(src.text.slice(start, end)), start, end), end, line: last };
}

function scanFlowPlainLine(src: YamlSource, start: number, line: number): { end: number; stopped: boolean } {
  const { text } = src;
  const lineEnd = src.ends[line]!;
  let end = start;
  for (let i = start; i < lineEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125) return { end, stopped: true };
    if (c === 35 && text.charCodeAt(i - 1) === 32) return { end, stopped: true };
    if (c === 58) {
      const n = i + 1 === lineEnd ? 32 : text.charCodeAt(i + 1);
      if (n === 32 || n === 44 || n === 91 || n === 93 || n === 123 || n === 125) return { end, stopped: true };
    }
    if (c === 9) src.fail(i, "a tab in a plain value");
    if (c !== 32) end = i + 1;
  }
  return { end, stopped: false };
}

/**
 * A single- or double-quoted scalar from its opening quote at `start`, over as many lines as it
 * takes (each indented more than `parentIndent`); an unclosed quote or a bad escape is not read.
 */
export function readQuoted(src: YamlSource, start: number, line: number, parentIndent: number): ReadScalar {
  const { text } = src;
  const quote = text.charCodeAt(start);
  let i = start + 1;
  let at = line;
  for (;;) {
    const lineEnd = src.ends[at]!;
    while (i < lineEnd) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) i += 2;
        else return finishQuoted(src, start, i + 1, at, quote);
      } else i += c === 92 && quote === 34 ? 2 : 1;
    }
    at++;
    if (at >= src.count) src.fail(start, "a quoted value with no closing quote");
    i = src.contents[at]!;
    if (i < src.ends[at]! && src.indents[at]! <= parentIndent) src.fail(i, "a quoted value's next line is not indented");
    if (src.indents[at] === 0) checkNotMarker(src, at);
    if (src.text.charCodeAt(i) === 9) src.fail(i, "a tab in a quoted value's indentation");
  }
}

function finishQuoted(src: YamlSource, start: number, end: number, line: number, quote: number): ReadScalar {
  const source = src.text.slice(start, end);
  const value = quote === 39 ? unquoteSingle(source) : unquoteDouble(source, (offset, what) => src.fail(start + offset, what));
  return { node: src.stringScalar(value, start, end, quote === 39 ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE), end, line };
}

/**
 * A literal (`|`) or folded (`>`) block scalar whose header is at `start`, with clip, strip (`-`)
 * or keep (`+`) chomping; its lines are those indented at least as much as its first line (more
 * than `parentIndent`). Indentation indicators, and the rarer shapes (folded lines indented
 * further, blank lines wider than the text) are not read.
 */
export function readBlockScalar(src: YamlSource, start: number, line: number, parentIndent: number): ReadScalar & { next: number } {
  const { text } = src;
  const folded = text.charCodeAt(start) === 62;
  let p = start + 1;
  const chomp = text[p] === "-" || text[p] === "+" ? text[p++] : "";
  if (p < src.ends[line]! && text.charCodeAt(p) !== 32) src.fail(p, "a block scalar header this reader does not take (indentation indicator)");
  src.expectLineEnd(p, line);
  let indent = -1;
  let leadingSpaces = 0;
  const lines: string[] = [];
  let j = line + 1;
  let trailing = 0;
  for (; j < src.count; j++) {
    if (src.contents[j] === src.ends[j]) {
      if (indent >= 0 && src.indents[j]! > indent) src.fail(src.starts[j]!, "a blank line in a block scalar with more spaces than its text");
      if (indent < 0) leadingSpaces = Math.max(leadingSpaces, src.indents[j]!);
      lines.push("");
      trailing++;
      continue;
    }
    if (indent < 0) {
      if (src.indents[j]! <= parentIndent) break;
      indent = src.indents[j]!;
      if (leadingSpaces > indent) src.fail(src.starts[j]!, "leading blank lines with more spaces than a block scalar's text");
    } else if (src.indents[j]! < indent) break;
    const content = text.slice(src.starts[j]! + indent, src.ends[j]);
    if (folded && (content.startsWith(" ") || content.startsWith("\t"))) src.fail(src.starts[j]!, "a more indented line in a folded block scalar");
    lines.push(content);
    trailing = 0;
  }
  const body = lines.slice(0, lines.length - trailing);
  let value = folded ? foldLines(body) : body.join("\n");
  if (body.length > 0 && chomp !== "-") value += "\n";
  if (chomp === "+") value += "\n".repeat(trailing);
  // Where the composer ends the node: after its text (with keep, after its blank lines too).
  const lastLine = body.length > 0 && chomp !== "+" ? line + body.length : body.length === 0 && trailing > 0 ? line + 1 : j - 1;
  const end = lastLine + 1 < src.count ? src.starts[lastLine + 1]! : text.length;
  return { node: src.stringScalar(value, start, end, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL), end, line: j - 1, next: j };
}

/** Folded lines: a single line break is a space, each blank line between two lines a newline. */
function foldLines(lines: readonly string[]): string {
  let out = "";
  let blanks = 0;
  let started = false;
  for (const l of lines) {
    if (l === "") {
      blanks++;
      continue;
    }
    if (started) out += blanks > 0 ? "\n".repeat(blanks) : " ";
    else out += "\n".repeat(blanks);
    out += l;
    blanks = 0;
    started = true;
  }
  return out;
}

/** `---` or `...` at the start of a line ends a document: not read. */
function checkNotMarker(src: YamlSource, line: number): void {
  const head = src.text.slice(src.starts[line], src.starts[line]! + 4);
  if (/^(?:---|\.\.\.)(?:[ \t\r\n]|$)/.test(head)) src.fail(src.starts[line]!, "a document marker (`---` or `...`)");
}
