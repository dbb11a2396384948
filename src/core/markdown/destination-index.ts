import { ASCII_PUNCTUATION } from "./block-syntax.js";
import { RememberedSearch } from "./remembered-search.js";

/**
 * Reads inline link resources (`(dest "title")` after `]`) in one paragraph's source in time
 * linear over all attempts: where a bare destination ends (first space or control character, or
 * the first `)` that unbalances its parentheses) comes from tables built once in one pass
 * (prefix paren balance and its next-smaller index), and a title's closing quote from a search
 * that never scans the same text twice. Without them `[a](` repeated scans to the end of the
 * paragraph from every `(`.
 */
export class DestinationIndex {
  private tables: { nextSpace: Int32Array; nextDrop: Int32Array; balance: Int32Array } | null = null;
  private readonly closers = new RememberedSearch();

  constructor(private readonly raw: string) {}

  /** The resource starting just after `(` at `from`, or null when there is none. */
  readResource(from: number): { url: string; title: string | null; end: number } | null {
    const raw = this.raw;
    let at = skipSpace(raw, from);
    if (raw[at] === ")") return { url: "", title: null, end: at + 1 };
    const destination = raw[at] === "<" ? this.bracketed(at) : this.bare(at);
    if (!destination) return null;
    at = skipSpace(raw, destination.end);
    if (raw[at] === ")") return { url: destination.url, title: null, end: at + 1 };
    const quote = raw[at];
    if (at === destination.end || (quote !== '"' && quote !== "'" && quote !== "(")) return null;
    const close = this.nextUnescaped(quote === "(" ? ")" : quote, at + 1);
    if (close < 0) return null;
    const end = skipSpace(raw, close + 1);
    return raw[end] === ")" ? { url: destination.url, title: raw.slice(at + 1, close), end: end + 1 } : null;
  }

  /** `<…>`: no line ending, no unescaped `<`; the scan stops at the next `<`, so scans never overlap. */
  private bracketed(at: number): { url: string; end: number } | null {
    const raw = this.raw;
    for (let i = at + 1; i < raw.length; i++) {
      const c = raw[i];
      if (c === "\\") i++;
      else if (c === ">") return { url: raw.slice(at + 1, i), end: i + 1 };
      else if (c === "<" || c === "\n" || c === "\r") return null;
    }
    return null;
  }

  private bare(at: number): { url: string; end: number } | null {
    const { nextSpace, nextDrop, balance } = this.buildTables();
    const end = Math.min(nextSpace[at]!, nextDrop[at]! - 1);
    if (end <= at || balance[end] !== balance[at]) return null;
    return { url: this.raw.slice(at, end), end };
  }

  private buildTables(): { nextSpace: Int32Array; nextDrop: Int32Array; balance: Int32Array } {
    if (this.tables) return this.tables;
    const raw = this.raw;
    const n = raw.length;
    // balance[i]: unescaped `(` minus `)` in raw[0, i).
    const balance = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const c = raw[i];
      balance[i + 1] = balance[i]! + (c === "(" ? 1 : c === ")" ? -1 : 0);
      if (c === "\\" && i + 1 < n && ASCII_PUNCTUATION.test(raw[i + 1]!)) {
        balance[i + 2] = balance[i + 1]!;
        i++;
      }
    }
    // nextDrop[i]: first j > i with balance[j] < balance[i] (n + 1 if none): a monotonic stack from the right.
    const nextDrop = new Int32Array(n + 1);
    const stack: number[] = [];
    for (let i = n; i >= 0; i--) {
      while (stack.length > 0 && balance[stack[stack.length - 1]!]! >= balance[i]!) stack.pop();
      nextDrop[i] = stack.length > 0 ? stack[stack.length - 1]! : n + 1;
      stack.push(i);
    }
    // nextSpace[i]: first j >= i holding a space or an ASCII control character (n if none).
    const nextSpace = new Int32Array(n + 1);
    nextSpace[n] = n;
    for (let i = n - 1; i >= 0; i--) {
      const code = raw.charCodeAt(i);
      nextSpace[i] = code <= 0x20 || code === 0x7f ? i : nextSpace[i + 1]!;
    }
    this.tables = { nextSpace, nextDrop, balance };
    return this.tables;
  }

  /** First unescaped `char` at or after `from`, or -1; remembers the last answer, so searches from later places never rescan. */
  private nextUnescaped(char: string, from: number): number {
    return this.closers.find(char, from, (start) => {
      for (let i = start; ; ) {
        const at = this.raw.indexOf(char, i);
        if (at < 0 || !escaped(this.raw, at)) return at;
        i = at + 1;
      }
    });
  }
}

function skipSpace(raw: string, at: number): number {
  let lineEndings = 0;
  for (;;) {
    const c = raw[at];
    if (c === " " || c === "\t") at++;
    else if ((c === "\n" || c === "\r") && lineEndings === 0) {
      lineEndings++;
      at += c === "\r" && raw[at + 1] === "\n" ? 2 : 1;
    } else return at;
  }
}

/** An odd number of backslashes right before `at`. */
function escaped(raw: string, at: number): boolean {
  let slashes = 0;
  while (at - slashes - 1 >= 0 && raw[at - slashes - 1] === "\\") slashes++;
  return slashes % 2 === 1;
}
