import { err, ok, type Result } from "../result.js";

/** Splits a command's argument text on blanks; "double" or 'single' quotes keep blanks in a token. */
export function tokenizeArguments(text: string): Result<string[], string> {
  const tokens: string[] = [];
  let current = "";
  let inToken = false;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inToken = true;
    } else if (ch === " " || ch === "\t") {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote) return err(`a ${quote} quote is not closed`);
  if (inToken) tokens.push(current);
  return ok(tokens);
}
