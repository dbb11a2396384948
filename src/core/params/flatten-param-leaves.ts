import { flattenParams } from "./flatten-params.js";
import type { ParamLeaf } from "./param-leaf.js";
import type { ParamsFile } from "./params-file.js";

/**
 * Every leaf of a params file with its dotted key, value, type and line, in file order: what a
 * `/train key=value` override is checked against (the key must exist, the type must match).
 */
export function flattenParamLeaves(file: ParamsFile): ParamLeaf[] {
  return [...flattenParams(file.data)].map(([key, value]) => {
    const info = file.leaves.get(key);
    return { key, value, type: info?.type ?? typeOfValue(value), line: info?.line };
  });
}

function typeOfValue(value: unknown): ParamLeaf["type"] {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "string";
}
