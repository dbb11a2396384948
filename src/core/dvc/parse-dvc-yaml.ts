import { isMap, isScalar, isSeq, type Node } from "yaml";
import { checkFileSize } from "../limits/check-file-size.js";
import { guardParser } from "../limits/guard-parser.js";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../limits/parse-limits.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import { parseYamlDocument } from "../yaml/parse-yaml-document.js";
import { yamlNodeLine } from "../yaml/yaml-node-line.js";
import { listStageInstances, type StageInstance } from "./list-stage-instances.js";

export interface DvcYamlStage {
  readonly wdir: string | undefined;
  /** params file (relative to wdir) -> tracked keys; an empty list tracks the whole file. */
  readonly params: ReadonlyMap<string, readonly string[]>;
  /** Outputs declared under `metrics:` (relative to wdir). */
  readonly metrics: readonly string[];
  /** Outs, metrics and plots declared with `cache: false`, as written (may hold `${...}`). */
  readonly uncachedOuts: readonly string[];
  /** Cached outs, metrics and plots, as written (relative to wdir; may hold `${...}`). */
  readonly cachedOuts: readonly string[];
  /** A `foreach`/`matrix` stage: dvc.lock names its instances `name@key`. */
  readonly templated: boolean;
  /**
   * The instances dvc.yaml generates (see `listStageInstances`): a dvc.lock entry of another key
   * is stale, and `dvc diff` ignores it. Null when unknown: every entry counts.
   */
  readonly instances?: readonly StageInstance[] | null;
}

/**
 * What the data diff needs from dvc.yaml, and nothing more: each stage's `wdir` and which outputs
 * are not cached (`dvc diff` leaves those out). Templated stages (`foreach`, `matrix`) are read
 * from their `do` block; a dvc.lock stage `name@key` belongs to the definition `name`.
 */
export interface DvcYaml {
  readonly stages: ReadonlyMap<string, DvcYamlStage>;
  /** Top-level `params:` and `metrics:` files (relative to dvc.yaml's folder). */
  readonly params: readonly string[];
  readonly metrics: readonly string[];
}

const DEFAULT_PARAMS = "params.yaml";

export function parseDvcYaml(params: { file: string; text: string; limits?: ParseLimits }): Result<DvcYaml, Problem[]> {
  const limits = params.limits ?? DEFAULT_PARSE_LIMITS;
  return guardParser(params.file, () => {
    const tooBig = checkFileSize({ kind: "dvc-yaml", file: params.file, text: params.text, limits });
    return tooBig ? err([tooBig]) : parseDvcYamlWithin({ ...params, limits });
  });
}

function parseDvcYamlWithin(params: { file: string; text: string; limits: ParseLimits }): Result<DvcYaml, Problem[]> {
  const { file } = params;
  const parsed = parseYamlDocument(params);
  if (!parsed.ok) return parsed;
  const { doc, lines } = parsed.value;
  const root = doc.contents;
  const stages = new Map<string, DvcYamlStage>();
  if (root === null || (isScalar(root) && root.value === null)) return ok({ stages, params: [], metrics: [] });
  if (!isMap(root)) return err([{ file, line: yamlNodeLine(root, lines), message: "dvc.yaml must be a mapping" }]);
  const topParams = plainPaths(root.get("params", true));
  const topMetrics = plainPaths(root.get("metrics", true));
  const stagesNode = root.get("stages", true);
  if (stagesNode === undefined) return ok({ stages, params: topParams, metrics: topMetrics });
  if (!isMap(stagesNode)) return err([{ file, line: yamlNodeLine(stagesNode, lines), path: "stages", message: "`stages` must be a mapping" }]);
  for (const pair of stagesNode.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    let def: unknown = pair.value;
    const templated = isMap(def) && (def.has("foreach") || def.has("matrix"));
    const instances = templated ? listStageInstances(def as Node) : null;
    const doBlock: unknown = isMap(def) ? def.get("do", true) : undefined;
    if (isMap(doBlock)) def = doBlock;
    if (!isMap(def)) continue;
    const wdir = def.get("wdir");
    const uncachedOuts: string[] = [];
    const cachedOuts: string[] = [];
    for (const key of ["outs", "metrics", "plots"]) {
      const list = def.get(key, true);
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        if (isScalar(item) && typeof item.value === "string") cachedOuts.push(item.value);
        if (!isMap(item)) continue;
        for (const out of item.items) {
          const path = isScalar(out.key) ? out.key.value : undefined;
          if (typeof path !== "string") continue;
          if (isMap(out.value) && out.value.get("cache") === false) uncachedOuts.push(path);
          else cachedOuts.push(path);
        }
      }
    }
    stages.set(name, { wdir: typeof wdir === "string" ? wdir : undefined, uncachedOuts, cachedOuts, templated, instances, params: stageParams(def.get("params", true)), metrics: plainPaths(def.get("metrics", true)) });
  }
  return ok({ stages, params: topParams, metrics: topMetrics });
}

/** `params: [a.b, {other.yaml: [x]}, {whole.toml: }]` -> file -> keys (empty: the whole file). */
function stageParams(node: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!isSeq(node)) return out;
  const keysOf = (file: string): string[] => {
    let keys = out.get(file);
    if (!keys) out.set(file, (keys = []));
    return keys;
  };
  for (const item of node.items) {
    if (isScalar(item) && typeof item.value === "string" && !item.value.includes("${")) keysOf(DEFAULT_PARAMS).push(item.value);
    else if (isMap(item)) {
      for (const pair of item.items) {
        const file = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof file !== "string" || file.includes("${")) continue;
        const keys = keysOf(file);
        if (isSeq(pair.value)) for (const k of pair.value.items) if (isScalar(k) && typeof k.value === "string") keys.push(k.value);
      }
    }
  }
  return out;
}

/** A list of paths, plain or as `{path: {options}}`, without templated ones. */
function plainPaths(node: unknown): string[] {
  if (!isSeq(node)) return [];
  const out: string[] = [];
  for (const item of node.items) {
    const path = isScalar(item) ? item.value : isMap(item) && isScalar(item.items[0]?.key) ? item.items[0].key.value : undefined;
    if (typeof path === "string" && !path.includes("${")) out.push(path);
  }
  return out;
}
