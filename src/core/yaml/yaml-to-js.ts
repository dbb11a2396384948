import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from "yaml";

/**
 * A checked document -> plain JavaScript values, as `doc.toJS()` gives them (keys as strings,
 * an alias as its anchor's value, `__proto__` an own key), in one walk: the library's `toJS`
 * costs about as much as reading the file again. The document must have passed
 * `checkYamlDocument` (aliases resolved, bounded); a mapping with a key that is no scalar (only
 * the library reads those) goes through the library's own `toJS`.
 */
export function yamlToJs(doc: Document.Parsed, options: { listsOnly?: boolean } = {}): unknown {
  const anchors = new Map<string, unknown>();
  // With `listsOnly`, the scalars of mappings outside any list are left out (a reader of lists of
  // records, the plots, never looks at them; a file of 100,000 such keys then costs nothing here).
  let inList = options.listsOnly !== true;
  const value = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return anchors.get(node.source) ?? null;
    let out: unknown;
    if (isScalar(node)) out = node.value;
    else if (isSeq(node)) {
      const list: unknown[] = [];
      if (node.anchor) anchors.set(node.anchor, list);
      const outer = inList;
      inList = true;
      for (const item of node.items) list.push(value(item));
      inList = outer;
      return list;
    } else if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      if (node.anchor) anchors.set(node.anchor, obj);
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (key !== null && !isScalar(key)) throw new NotPlain();
        if (!inList && (isScalar(pair.value) || pair.value === null)) continue;
        const k = keyString(key?.value);
        const v = value(pair.value);
        if (k === "__proto__") Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[k] = v;
      }
      return obj;
    } else throw new NotPlain();
    if ((node as Node).anchor) anchors.set((node as Node).anchor!, out);
    return out;
  };
  try {
    return value(doc.contents);
  } catch (e) {
    if (!(e instanceof NotPlain)) throw e;
    return doc.toJS({ maxAliasCount: 100 });
  }
}

class NotPlain extends Error {}

/** A scalar key as `toJS` writes it: null is `""`, others their `String` (core-schema keys are primitives). */
function keyString(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return `${value}`;
  return JSON.stringify(value) ?? "";
}
