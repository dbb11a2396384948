import { err, ok, type Result } from "../result.js";

const PLAIN_SEGMENT = /^[^."'\s=]+$/;

/**
 * A key path as a user writes it: segments joined by dots, a segment that holds a dot, a quote,
 * a blank or `=` in double quotes, JSON-style (`train."a.b"`, `"x y"`).
 */
export function formatParamPath(path: readonly string[]): string {
  return path.map((s) => (PLAIN_SEGMENT.test(s) ? s : JSON.stringify(s))).join(".");
}

/**
 * `train."a.b".c` -> `["train", "a.b", "c"]`. Double-quoted segments are JSON strings (`\"`
 * escapes a quote); single-quoted ones are taken literally. Empty segments are refused.
 */
export function parseParamPath(raw: string): Result<string[], string> {
  const path: string[] = [];
  let i = 0;
  for (;;) {
    let segment: string;
    const c = raw[i];
    if (c === '"' || c === "'") {
      const end = closingQuote(raw, i);
      if (end < 0) return err(`the quote in \`${raw}\` is not closed`);
      const body = raw.slice(i, end + 1);
      if (c === "'") segment = body.slice(1, -1);
      else {
        try {
          segment = JSON.parse(body) as string;
        } catch {
          return err(`\`${body}\` is not a valid quoted key`);
        }
      }
      i = end + 1;
    } else {
      let end = raw.indexOf(".", i);
      if (end < 0) end = raw.length;
      segment = raw.slice(i, end);
      if (/["']/.test(segment)) return err(`\`${raw}\`: quote a whole key segment, like \`a."b.c"\``);
      i = end;
    }
    if (segment === "") return err(`\`${raw}\` has an empty key segment`);
    path.push(segment);
    if (i === raw.length) return ok(path);
    if (raw[i] !== ".") return err(`\`${raw}\`: expected \`.\` after a quoted key segment`);
    i++;
    if (i === raw.length) return err(`\`${raw}\` ends with a dot`);
  }
}

function closingQuote(raw: string, start: number): number {
  const quote = raw[start];
  for (let i = start + 1; i < raw.length; i++) {
    if (quote === '"' && raw[i] === "\\") i++;
    else if (raw[i] === quote) return i;
  }
  return -1;
}
