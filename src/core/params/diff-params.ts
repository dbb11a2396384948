import { diffValueTrees } from "./diff-value-trees.js";
import type { ParamsFile } from "./params-file.js";
import { selectParams } from "./select-params.js";
import type { ValueChange } from "./value-change.js";

/**
 * `dvc params diff [--all]`: params files at base and head (path -> parsed file; undefined or
 * absent when the file does not exist on that side) -> changed keys, sorted by file and key.
 * `keys` narrows a file to tracked keys (dvc.yaml `params:`); without it every key counts.
 */
export function diffParams(params: {
  base: ReadonlyMap<string, ParamsFile | undefined>;
  head: ReadonlyMap<string, ParamsFile | undefined>;
  keys?: ReadonlyMap<string, readonly string[]>;
  all?: boolean;
}): ValueChange[] {
  const tree = (files: ReadonlyMap<string, ParamsFile | undefined>): Map<string, unknown> =>
    new Map([...files].filter(([, f]) => f !== undefined).map(([path, f]) => [path, selectParams(f!.data, params.keys?.get(path))]));
  return diffValueTrees({ base: tree(params.base), head: tree(params.head), all: params.all ?? false });
}
