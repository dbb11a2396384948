import type { ParamsFile } from "./params-file.js";

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
    for (const part of parts) node = node !== null && typeof node === "object" && !Array.isArray(node) ? (node as Record<string, unknown>)[part] : undefined;
    if (node === undefined) continue;
    let target = out;
    parts.slice(0, -1).forEach((part) => {
      const next = target[part];
      target = (next !== null && typeof next === "object" && !Array.isArray(next) ? next : (target[part] = {})) as Record<string, unknown>;
    });
    target[parts[parts.length - 1]!] = node;
  }
  return out;
}
