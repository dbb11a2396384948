/** The constants Python's `json` module reads and writes for non-finite floats. */
export const PYTHON_JSON_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
]);

/**
 * JSON as Python reads it (DVC loads JSON params and metrics with `json.load`, and
 * `json.dump` writes `NaN`, `Infinity`, `-Infinity` for non-finite floats) -> the same text with
 * each of those constants, outside strings, replaced by a JSON number of the same length
 * (`NaN` -> `0.0`, `Infinity` -> `0.000000`), so `JSON.parse` can check the rest with its
 * positions unchanged. One pass over the text, no regular expression.
 */
export function maskPythonJsonConstants(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x4e && text.startsWith("NaN", i)) {
      parts.push(text.slice(copied, i), "0.0");
      copied = i += 3;
      i--;
    } else if (c === 0x49 && text.startsWith("Infinity", i)) {
      parts.push(text.slice(copied, i), "0.000000");
      copied = i += 8;
      i--;
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join("");
}
