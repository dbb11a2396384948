import type { ParamsFile } from "./params-file.js";
import { isPyDict } from "./py-number.js";

/**
 * Keeps the listed keys of a params tree, like a dvc.yaml `params:` list: a key names a leaf or
 * a whole section (`train` keeps `train.*`). No keys (or undefined) keeps everything, as DVC
 * does for `params.yaml` when no stage narrows it.
 */
export function selectParams(data: ParamsFile["data"], keys: readonly string[] | undefined): Record<string, unknown> {
  if (!keys || keys.length === 0) return { ...data };
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const parts = key.split(".");
    let node: unknown = data;
    for (const part of parts) node = isPyDict(node) && Object.hasOwn(node, part) ? node[part] : undefined;
    if (node === undefined) continue;
    let target = out;
    for (const part of parts.slice(0, -1)) {
      const next = Object.hasOwn(target, part) ? target[part] : undefined;
      target = isPyDict(next) ? next : setOwn(target, part, {});
    }
    setOwn(target, parts[parts.length - 1]!, node);
  }
  return out;
}

/** `target[key] = value` as an own property, even for `__proto__` (a key from a hostile file). */
function setOwn<T>(target: Record<string, unknown>, key: string, value: T): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}
