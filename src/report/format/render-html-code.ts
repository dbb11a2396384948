/**
 * Untrusted text as `<code>` for a line GitHub reads as raw HTML (a `<summary>`, where markdown
 * is not parsed, so backticks would not make code): every character that could open a tag or an
 * entity is escaped, and `@` and `#` are written as entities so nothing is mentioned or referenced.
 * Control characters and newlines become spaces, and the text is cut at `max` characters.
 */
export function renderHtmlCode(text: string, max = 100): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
  const chars = Array.from(flat);
  const cut = chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : flat;
  const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "@": "&#64;", "#": "&#35;", "`": "&#96;", "\\": "&#92;", "[": "&#91;", "]": "&#93;" };
  return `<code>${cut.replace(/[&<>"'@#`\\[\]]/g, (c) => entities[c]!)}</code>`;
}
