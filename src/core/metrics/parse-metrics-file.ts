import { parseParamsFile } from "../params/parse-params-file.js";
import type { ParamsFile } from "../params/params-file.js";
import type { Problem } from "../problem.js";
import type { Result } from "../result.js";

/**
 * A metrics file (JSON, or YAML for `.yaml`/`.yml`; TOML is read too) -> its value tree with
 * lines. Same reader as params: the top level must be a mapping. Never throws.
 */
export function parseMetricsFile(params: { file: string; text: string }): Result<ParamsFile, Problem[]> {
  return parseParamsFile(params);
}
