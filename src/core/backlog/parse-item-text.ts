import { parseRoleTag } from "./parse-role-tag.js";

export interface ItemText {
  readonly role: string | null;
  readonly number: string | null;
  readonly title: string;
}

const numbered = /^(?:(?:task|item|step)\s+)?#?(\d+(?:\.\d+)*)(?!\.?\d)(?=$|[\s:.)\]]|[-–—])/i;

/**
 * Plain text after an item's checkbox -> role tag, item number and title:
 * `[AI] 2.6: Create Dev Environment Config` -> AI, `2.6`, `Create Dev Environment Config`.
 * A number is `N` or `N.N…`, optionally after `Task`/`Item`/`Step`, and ends with `:` `.` `)`
 * or a dash; a dotted number may also end with a space. `3 GPUs ordered` has no number.
 */
export function parseItemText(text: string): ItemText {
  const { role, rest } = parseRoleTag(text);
  const match = numbered.exec(rest);
  const number = match?.[1];
  if (!match || number === undefined) return { role, number: null, title: rest };
  const after = rest.slice(match[0].length);
  const separated = /^\s*(?:[:)\]]|\.(?=\s|$)|[-–—](?=\s|$))/.exec(after);
  if (separated) return { role, number, title: after.slice(separated[0].length).trim() };
  if (after === "") return { role, number, title: "" };
  if (number.includes(".")) return { role, number, title: after.trim() };
  return { role, number: null, title: rest };
}
