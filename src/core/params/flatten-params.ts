import { isPyDict } from "./py-number.js";

/**
 * Nested mappings -> dotted keys (`{a: {b: 1}}` -> `a.b`), exactly like DVC's
 * `flatten_dict(reducer="dot")`: lists are leaves, empty mappings disappear.
 */
export function flattenParams(data: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (node: Readonly<Record<string, unknown>>, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const dotted = prefix ? `${prefix}.${key}` : key;
      if (isPyDict(value)) walk(value, dotted);
      else out.set(dotted, value);
    }
  };
  walk(data, "");
  return out;
}
