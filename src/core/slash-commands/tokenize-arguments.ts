import { err, ok, type Result } from "../result.js";

/** One argument: its text with quotes removed, and as written (quotes kept, for `"a.b"=1` keys). */
export interface ArgumentToken {
  readonly text: string;
  readonly raw: string;
}

/** Splits a command's argument text on blanks; "double" or 'single' quotes keep blanks in a token. */
export function tokenizeArguments(text: string): Result<ArgumentToken[], string> {
  const tokens: ArgumentToken[] = [];
  let current = "";
  let start = 0;
  let inToken = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      if (!inToken) start = i;
      quote = ch;
      inToken = true;
    } else if (ch === " " || ch === "\t") {
      if (inToken) tokens.push({ text: current, raw: text.slice(start, i) });
      current = "";
      inToken = false;
    } else {
      if (!inToken) start = i;
      current += ch;
      inToken = true;
    }
  }
  if (quote) return err(`a ${quote} quote is not closed`);
  if (inToken) tokens.push({ text: current, raw: text.slice(start) });
  return ok(tokens);
}
