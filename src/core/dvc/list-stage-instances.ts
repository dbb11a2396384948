import { isMap, isScalar, isSeq, type Node } from "yaml";

/** Past this many instances (a matrix is a product), the instances are not listed. */
export const MAX_LISTED_INSTANCES = 100_000;

/**
 * A `foreach` or `matrix` stage's definition in dvc.yaml -> the keys of the instances DVC
 * generates from it (`shard@a` has key `a`), as `dvc.parsing` names them:
 * - `foreach: [a, b]` -> `a`, `b` (each value as Python's `str`, booleans `true`/`false`);
 *   a list that holds a mapping or a list -> `0`, `1`, … (the indexes);
 * - `foreach: {us: …, eu: …}` -> `us`, `eu`;
 * - `matrix: {lr: [1, 2], opt: [x]}` -> `1-x`, `2-x` (a mapping or list value stands as `opt0`).
 * Null when the keys cannot be known from the file alone (`foreach: ${models}` reads vars,
 * aliases, floats whose Python spelling may differ) or there are more than
 * `MAX_LISTED_INSTANCES`: then every instance dvc.lock names is taken, as before.
 */
export function listStageInstances(def: Node): ReadonlySet<string> | null {
  if (!isMap(def)) return null;
  const foreach = def.get("foreach", true) as Node | undefined;
  if (foreach !== undefined) return foreachKeys(foreach);
  const matrix = def.get("matrix", true) as Node | undefined;
  return matrix === undefined ? null : matrixKeys(matrix);
}

function foreachKeys(node: Node): Set<string> | null {
  if (isMap(node)) {
    const keys = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pyStr(pair.key.value) : null;
      if (key === null) return null;
      keys.add(key);
    }
    return keys;
  }
  if (!isSeq(node)) return null;
  const composite = node.items.some((item) => isMap(item) || isSeq(item));
  const keys = new Set<string>();
  for (let i = 0; i < node.items.length; i++) {
    const item = node.items[i];
    const key = composite ? String(i) : isScalar(item) ? pyStr(item.value) : null;
    if (key === null) return null;
    keys.add(key);
  }
  return keys;
}

function matrixKeys(node: Node): Set<string> | null {
  if (!isMap(node)) return null;
  const axes: string[][] = [];
  let count = 1;
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? pyStr(pair.key.value) : null;
    if (name === null || !isSeq(pair.value)) return null;
    const values: string[] = [];
    for (let i = 0; i < pair.value.items.length; i++) {
      const item = pair.value.items[i];
      const fragment = isMap(item) || isSeq(item) ? `${name}${i}` : isScalar(item) ? pyStr(item.value) : null;
      if (fragment === null) return null;
      values.push(fragment);
    }
    count *= values.length;
    if (count > MAX_LISTED_INSTANCES) return null;
    axes.push(values);
  }
  let keys: string[] = [""];
  axes.forEach((values, k) => {
    keys = keys.flatMap((prefix) => values.map((v) => (k === 0 ? v : `${prefix}-${v}`)));
  });
  return new Set(axes.length === 0 ? [] : keys);
}

/** A YAML scalar as Python's `str` spells it; null for what may be spelled otherwise (floats) or cannot be known. */
function pyStr(value: unknown): string | null {
  if (typeof value === "string") return value.includes("${") ? null : value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null) return "None";
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  return null;
}
