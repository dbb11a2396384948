import { isMap, isScalar, isSeq, type Node } from "yaml";

/** Past this many instances (a matrix is a product), the instances are not listed. */
export const MAX_LISTED_INSTANCES = 100_000;

/** What `${item}` and `${key}` stand for in one instance of a `foreach`/`matrix` stage. */
export interface StageInstance {
  readonly key: string;
  /** Plain data: strings, safe ints, booleans, null, lists, mappings; a float is `{ float: "1.5" }`. */
  readonly item: unknown;
}

/**
 * A `foreach` or `matrix` stage's definition in dvc.yaml -> its instances as `dvc.parsing`
 * generates them, keyed as dvc.lock names them (`shard@a` has key `a`):
 * - `foreach: [a, b]` -> `a`, `b` (each value as Python's `str`, booleans `true`/`false`);
 *   a list that holds a mapping or a list -> `0`, `1`, … (the indexes);
 * - `foreach: {us: …, eu: …}` -> `us`, `eu`;
 * - `matrix: {lr: [1, 2], opt: [x]}` -> `1-x`, `2-x` (a mapping or list value stands as `opt0`),
 *   each with `item` the mapping of the axes' values.
 * Null when they cannot be known from the file alone (`foreach: ${models}` reads vars, aliases,
 * keys that are floats, whose Python spelling may differ) or there are more than
 * `MAX_LISTED_INSTANCES`.
 */
export function listStageInstances(def: Node): StageInstance[] | null {
  if (!isMap(def)) return null;
  const foreach = def.get("foreach", true) as Node | undefined;
  if (foreach !== undefined) return foreachInstances(foreach);
  const matrix = def.get("matrix", true) as Node | undefined;
  return matrix === undefined ? null : matrixInstances(matrix);
}

function foreachInstances(node: Node): StageInstance[] | null {
  const out: StageInstance[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pyStr(pair.key.value) : null;
      if (key === null) return null;
      out.push({ key, item: plain(pair.value as Node) });
    }
    return out.length > MAX_LISTED_INSTANCES ? null : out;
  }
  if (!isSeq(node)) return null;
  const composite = node.items.some((item) => isMap(item) || isSeq(item));
  for (let i = 0; i < node.items.length; i++) {
    const item = node.items[i] as Node;
    const key = composite ? String(i) : isScalar(item) ? pyStr(item.value) : null;
    if (key === null) return null;
    out.push({ key, item: plain(item) });
  }
  return out.length > MAX_LISTED_INSTANCES ? null : out;
}

function matrixInstances(node: Node): StageInstance[] | null {
  if (!isMap(node)) return null;
  const axes: Array<{ name: string; values: Array<{ fragment: string; value: unknown }> }> = [];
  let count = 1;
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? pyStr(pair.key.value) : null;
    if (name === null || !isSeq(pair.value)) return null;
    const values: Array<{ fragment: string; value: unknown }> = [];
    for (let i = 0; i < pair.value.items.length; i++) {
      const item = pair.value.items[i] as Node;
      const fragment = isMap(item) || isSeq(item) ? `${name}${i}` : isScalar(item) ? pyStr(item.value) : null;
      if (fragment === null) return null;
      values.push({ fragment, value: plain(item) });
    }
    count *= values.length;
    if (count > MAX_LISTED_INSTANCES) return null;
    axes.push({ name, values });
  }
  if (axes.length === 0) return [];
  let combos: Array<{ keys: string[]; item: Record<string, unknown> }> = [{ keys: [], item: {} }];
  for (const { name, values } of axes) {
    combos = combos.flatMap((c) => values.map((v) => ({ keys: [...c.keys, v.fragment], item: { ...c.item, [name]: v.value } })));
  }
  return combos.map((c) => ({ key: c.keys.join("-"), item: c.item }));
}

/** A YAML scalar as Python's `str` spells it; null for what may be spelled otherwise (floats) or cannot be known. */
export function pyStr(value: unknown): string | null {
  if (typeof value === "string") return value.includes("${") ? null : value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null) return "None";
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return null;
}

/** A YAML node -> plain data; floats kept apart (`{ float }`), aliases and the unknown as undefined. */
function plain(node: Node | null | undefined): unknown {
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === "number" && !/^[-+]?[0-9]+$/.test(node.source?.trim() ?? "")) return { float: node.source };
    return typeof v === "string" || typeof v === "boolean" || v === null || typeof v === "number" ? v : undefined;
  }
  if (isSeq(node)) return node.items.map((item) => plain(item as Node));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pyStr(pair.key.value) : null;
      if (key !== null) Object.defineProperty(out, key, { value: plain(pair.value as Node), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return undefined;
}
