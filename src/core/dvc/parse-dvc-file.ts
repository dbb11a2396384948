import { isMap, isScalar } from "yaml";
import { checkFileSize } from "../limits/check-file-size.js";
import { guardParser } from "../limits/guard-parser.js";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../limits/parse-limits.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import type { DvcEntry } from "./dvc-entry.js";
import { parseDvcEntries } from "./parse-dvc-entries.js";
import { parseYamlDocument } from "../yaml/parse-yaml-document.js";
import { yamlNodeLine } from "../yaml/yaml-node-line.js";

/** A `*.dvc` file (`dvc add`, `dvc import`): its outs, deps (imports) and `wdir` (DVC 1). */
export interface DvcFile {
  readonly outs: readonly DvcEntry[];
  readonly deps: readonly DvcEntry[];
  /** Folder the entry paths are relative to, itself relative to the .dvc file's folder. */
  readonly wdir: string | undefined;
}

/** `.dvc` text -> typed outs; never throws. */
export function parseDvcFile(params: { file: string; text: string; limits?: ParseLimits }): Result<DvcFile, Problem[]> {
  const limits = params.limits ?? DEFAULT_PARSE_LIMITS;
  return guardParser(params.file, () => {
    const tooBig = checkFileSize({ kind: "dvc-file", file: params.file, text: params.text, limits });
    return tooBig ? err([tooBig]) : parseDvcFileWithin({ ...params, limits });
  });
}

function parseDvcFileWithin(params: { file: string; text: string; limits: ParseLimits }): Result<DvcFile, Problem[]> {
  const { file } = params;
  const parsed = parseYamlDocument(params);
  if (!parsed.ok) return parsed;
  const { doc, lines } = parsed.value;
  const root = doc.contents;
  if (!isMap(root)) {
    return err([{ file, line: yamlNodeLine(root, lines), message: "a .dvc file must be a mapping with `outs`" }]);
  }
  const problems: Problem[] = [];
  const outs = parseDvcEntries({ file, node: root.get("outs", true), lines, where: "outs", problems });
  const deps = parseDvcEntries({ file, node: root.get("deps", true), lines, where: "deps", problems });
  const wdirNode = root.get("wdir", true);
  let wdir: string | undefined;
  if (wdirNode !== undefined) {
    if (isScalar(wdirNode) && typeof wdirNode.value === "string") wdir = wdirNode.value;
    else problems.push({ file, line: yamlNodeLine(wdirNode, lines), path: "wdir", message: "`wdir` must be a string" });
  }
  return problems.length > 0 ? err(problems) : ok({ outs, deps, wdir });
}
