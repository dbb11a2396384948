import { isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";

/**
 * A composed YAML node as comparable data: kinds, values (with their JS type), anchors, aliases,
 * and the ranges consumers read (a scalar's start and end: overrides edit them in place; a
 * collection's start: its line in problems).
 */
export function yamlNodeShape(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  const n = node as { range?: number[]; anchor?: string };
  if (isMap(node)) return { map: node.items.map((p) => [yamlNodeShape(p.key), yamlNodeShape(p.value)]), at: n.range?.[0], anchor: n.anchor };
  if (isSeq(node)) return { seq: node.items.map(yamlNodeShape), at: n.range?.[0], anchor: n.anchor };
  if (isAlias(node)) return { alias: node.source, at: n.range?.[0] };
  if (isScalar(node)) {
    const v = node.value;
    const value = typeof v === "bigint" ? `${v}n` : typeof v === "number" ? `${Object.is(v, -0) ? "-0" : String(v)}:number` : v;
    return { value, range: n.range?.slice(0, 2), anchor: n.anchor, source: node.source };
  }
  return { other: typeof node };
}

/** What the `yaml` library's own composer makes of `text`: its errors, or the shape of its document. */
export function libraryShape(text: string): { errors: string[]; shape?: unknown; js?: unknown } {
  const doc = parseDocument(text, { uniqueKeys: false, logLevel: "error" });
  if (doc.errors.length > 0) return { errors: doc.errors.map((e) => e.code) };
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    js = { throws: (e as Error).name };
  }
  return { errors: [], shape: yamlNodeShape(doc.contents), js };
}
