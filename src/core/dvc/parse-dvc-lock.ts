import { isMap, isScalar, type LineCounter, type YAMLMap } from "yaml";
import { checkFileSize } from "../limits/check-file-size.js";
import { guardParser } from "../limits/guard-parser.js";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../limits/parse-limits.js";
import { problemsFull, type Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import type { DvcEntry } from "./dvc-entry.js";
import { parseDvcEntries } from "./parse-dvc-entries.js";
import { parseYamlDocument } from "../yaml/parse-yaml-document.js";
import { yamlNodeLine } from "../yaml/yaml-node-line.js";

export interface DvcLockStage {
  /** As in the lock: `train`, or `train@lr-0.1` for a foreach/matrix stage. */
  readonly name: string;
  readonly cmd: string | readonly string[] | undefined;
  readonly deps: readonly DvcEntry[];
  readonly outs: readonly DvcEntry[];
  /** params file -> dotted key -> value, as recorded at the last `dvc repro`. */
  readonly params: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly line: number | undefined;
}

export interface DvcLock {
  /** `2.0` (DVC 2 and 3), or `1` for the DVC 1.x layout (stages at the top level). */
  readonly schema: "2.0" | "1";
  readonly stages: readonly DvcLockStage[];
}

/** dvc.lock text -> stages with their deps, outs and params; never throws. */
export function parseDvcLock(params: { file: string; text: string; limits?: ParseLimits }): Result<DvcLock, Problem[]> {
  const limits = params.limits ?? DEFAULT_PARSE_LIMITS;
  return guardParser(params.file, () => {
    const tooBig = checkFileSize({ kind: "dvc-lock", file: params.file, text: params.text, limits });
    return tooBig ? err([tooBig]) : parseDvcLockWithin({ ...params, limits });
  });
}

function parseDvcLockWithin(params: { file: string; text: string; limits: ParseLimits }): Result<DvcLock, Problem[]> {
  const { file } = params;
  const parsed = parseYamlDocument(params);
  if (!parsed.ok) return parsed;
  const { doc, lines } = parsed.value;
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) return ok({ schema: "2.0", stages: [] });
  if (!isMap(root)) return err([{ file, line: yamlNodeLine(root, lines), message: "dvc.lock must be a mapping" }]);

  const problems: Problem[] = [];
  let schema: DvcLock["schema"] = "1";
  let stagesNode: unknown = root;
  if (root.has("schema")) {
    const value = root.get("schema");
    if (String(value) !== "2.0") {
      return err([
        { file, line: yamlNodeLine(root.get("schema", true), lines), path: "schema", message: `unsupported dvc.lock schema ${JSON.stringify(value)}`, hint: "Expected '2.0'." },
      ]);
    }
    schema = "2.0";
    stagesNode = root.get("stages", true);
    if (stagesNode === undefined) return ok({ schema, stages: [] });
    if (!isMap(stagesNode)) return err([{ file, line: yamlNodeLine(stagesNode, lines), path: "stages", message: "`stages` must be a mapping" }]);
  }

  const stages: DvcLockStage[] = [];
  for (const pair of (stagesNode as YAMLMap).items) {
    if (problemsFull(problems, file)) break;
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const where = schema === "2.0" ? `stages.${name}` : name;
    const stage = parseStage({ file, name, where, node: pair.value, lines, problems });
    if (stage) stages.push({ ...stage, line: yamlNodeLine(pair.key, lines) });
  }
  return problems.length > 0 ? err(problems) : ok({ schema, stages });
}

function parseStage(params: {
  file: string;
  name: string;
  where: string;
  node: unknown;
  lines: LineCounter;
  problems: Problem[];
}): Omit<DvcLockStage, "line"> | undefined {
  const { file, name, where, node, lines, problems } = params;
  if (!isMap(node)) {
    problems.push({ file, line: yamlNodeLine(node, lines), path: where, message: "a stage must be a mapping with `cmd`, `deps`, `outs`" });
    return undefined;
  }
  const cmdValue: unknown = (node.toJSON() as Record<string, unknown> | null)?.cmd;
  const cmd = typeof cmdValue === "string" ? cmdValue : Array.isArray(cmdValue) && cmdValue.every((c) => typeof c === "string") ? cmdValue : undefined;
  const deps = parseDvcEntries({ file, node: node.get("deps", true), lines, where: `${where}.deps`, problems });
  const outs = parseDvcEntries({ file, node: node.get("outs", true), lines, where: `${where}.outs`, problems });
  const paramsNode = node.get("params", true);
  const stageParams: Record<string, Record<string, unknown>> = {};
  if (isMap(paramsNode)) {
    for (const [paramsFile, values] of Object.entries((paramsNode.toJSON() ?? {}) as Record<string, unknown>)) {
      if (values && typeof values === "object" && !Array.isArray(values)) stageParams[paramsFile] = values as Record<string, unknown>;
    }
  } else if (paramsNode !== undefined && !(isScalar(paramsNode) && paramsNode.value === null)) {
    problems.push({ file, line: yamlNodeLine(paramsNode, lines), path: `${where}.params`, message: "`params` must map a params file to its values" });
  }
  return { name, cmd, deps, outs, params: stageParams };
}
