const leading = /^\[([A-Za-z][A-Za-z0-9 _/&+-]{0,30})\]\s*/;
// No leading `\s*`: tried from every space of a long run, it made 64 KB of spaces quadratic (the rest is trimmed anyway).
const trailing = /\[([A-Za-z][A-Za-z0-9 _/&+-]{0,30})\]$/;

/**
 * A role tag such as `[AI]` or `[HUMAN]` at the start of `text` (or, with `trailing`, at its
 * end) -> the upper-cased role and the text without it. `[x]` is a checkbox, never a role.
 */
export function parseRoleTag(text: string, options: { trailing?: boolean } = {}): { role: string | null; rest: string } {
  const trimmed = text.trim();
  for (const pattern of options.trailing ? [leading, trailing] : [leading]) {
    const match = pattern.exec(trimmed);
    const role = match?.[1]?.trim();
    if (match && role && role.toLowerCase() !== "x") {
      return { role: role.toUpperCase(), rest: (trimmed.slice(0, match.index) + trimmed.slice(match.index + match[0].length)).trim() };
    }
  }
  return { role: null, rest: trimmed };
}
