import type { ParamLeaf } from "./param-leaf.js";
import type { ParamsFile } from "./params-file.js";

/**
 * Every leaf of a params file with its key, exact key path, value, type and line, in file order:
 * what a `/train key=value` override is checked against (the key must exist, the type must match).
 */
export function flattenParamLeaves(file: ParamsFile): readonly ParamLeaf[] {
  return file.paramLeaves;
}
