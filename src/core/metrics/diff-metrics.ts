import { diffValueTrees } from "../params/diff-value-trees.js";
import type { ParamsFile } from "../params/params-file.js";
import type { ValueChange } from "../params/value-change.js";
import { extractMetrics } from "./extract-metrics.js";

/**
 * `dvc metrics diff [--all]`: metrics files at base and head -> per key old, new and, for
 * numbers, `diff` = new - old. Lists and nulls are not metrics (DVC drops them).
 */
export function diffMetrics(params: {
  base: ReadonlyMap<string, ParamsFile | undefined>;
  head: ReadonlyMap<string, ParamsFile | undefined>;
  all?: boolean;
}): ValueChange[] {
  const tree = (files: ReadonlyMap<string, ParamsFile | undefined>): Map<string, unknown> =>
    new Map([...files].filter(([, f]) => f !== undefined).map(([path, f]) => [path, extractMetrics(f!.data)]));
  return diffValueTrees({ base: tree(params.base), head: tree(params.head), all: params.all ?? false });
}
