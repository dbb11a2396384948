import { isMap, isScalar, isSeq } from "yaml";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import { parseYamlDocument } from "./parse-yaml-document.js";
import { yamlNodeLine } from "./yaml-node-line.js";

export interface DvcYamlStage {
  readonly wdir: string | undefined;
  /** Outs, metrics and plots declared with `cache: false`, as written (may hold `${...}`). */
  readonly uncachedOuts: readonly string[];
}

/**
 * What the data diff needs from dvc.yaml, and nothing more: each stage's `wdir` and which outputs
 * are not cached (`dvc diff` leaves those out). Templated stages (`foreach`, `matrix`) are read
 * from their `do` block; a dvc.lock stage `name@key` belongs to the definition `name`.
 */
export interface DvcYaml {
  readonly stages: ReadonlyMap<string, DvcYamlStage>;
}

export function parseDvcYaml(params: { file: string; text: string }): Result<DvcYaml, Problem[]> {
  const { file } = params;
  const parsed = parseYamlDocument(params);
  if (!parsed.ok) return parsed;
  const { doc, lines } = parsed.value;
  const root = doc.contents;
  const stages = new Map<string, DvcYamlStage>();
  if (root === null || (isScalar(root) && root.value === null)) return ok({ stages });
  if (!isMap(root)) return err([{ file, line: yamlNodeLine(root, lines), message: "dvc.yaml must be a mapping" }]);
  const stagesNode = root.get("stages", true);
  if (stagesNode === undefined) return ok({ stages });
  if (!isMap(stagesNode)) return err([{ file, line: yamlNodeLine(stagesNode, lines), path: "stages", message: "`stages` must be a mapping" }]);
  for (const pair of stagesNode.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    let def: unknown = pair.value;
    const doBlock: unknown = isMap(def) ? def.get("do", true) : undefined;
    if (isMap(doBlock)) def = doBlock;
    if (!isMap(def)) continue;
    const wdir = def.get("wdir");
    const uncachedOuts: string[] = [];
    for (const key of ["outs", "metrics", "plots"]) {
      const list = def.get(key, true);
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        if (!isMap(item)) continue;
        for (const out of item.items) {
          const path = isScalar(out.key) ? out.key.value : undefined;
          if (typeof path === "string" && isMap(out.value) && out.value.get("cache") === false) uncachedOuts.push(path);
        }
      }
    }
    stages.set(name, { wdir: typeof wdir === "string" ? wdir : undefined, uncachedOuts });
  }
  return ok({ stages });
}
