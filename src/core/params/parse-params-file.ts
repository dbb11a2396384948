import { isMap, isScalar } from "yaml";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../limits/parse-limits.js";
import { checkFileSize } from "../limits/check-file-size.js";
import { guardParser } from "../limits/guard-parser.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import { parseYamlDocument } from "../yaml/parse-yaml-document.js";
import { yamlNodeLine } from "../yaml/yaml-node-line.js";
import { maskPythonJsonConstants } from "./mask-python-json-constants.js";
import type { ParamsFile, ParamsFormat } from "./params-file.js";
import { parseTomlParams } from "./parse-toml-params.js";
import { yamlToParams } from "./yaml-to-params.js";

/**
 * A params or metrics file -> its value tree, with each leaf's type and line. The format comes
 * from the extension like DVC's loaders: `.json`, `.toml`, else YAML (`.yaml`, `.yml`).
 * The top level must be a mapping. Numbers keep their Python type (see `PyNumber`). Bounded by
 * `limits` (bytes of `kind`, depth, aliases, values), linear in the text. Never throws.
 */
export function parseParamsFile(params: { file: string; text: string; kind?: "params" | "metrics"; limits?: ParseLimits }): Result<ParamsFile, Problem[]> {
  const { file, text } = params;
  const limits = params.limits ?? DEFAULT_PARSE_LIMITS;
  return guardParser(file, () => {
    const tooBig = checkFileSize({ kind: params.kind ?? "params", file, text, limits });
    if (tooBig) return err([tooBig]);
    const format = formatOf(file);
    if (format === "toml") return parseTomlParams({ file, text, limits });
    if (format === "json") {
      // `NaN`, `Infinity`, `-Infinity`: Python's json reads them (so DVC does); JSON.parse checks the rest.
      const masked = maskPythonJsonConstants(text);
      try {
        JSON.parse(masked);
      } catch (e) {
        let message = (e as Error).message.replace(/ in JSON at position \d+.*$/, "");
        // The excerpt would quote the masked text: leave it out.
        if (masked !== text) message = message.replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, "");
        return err([{ file, ...jsonErrorPosition(text, e), message: `invalid JSON: ${message}` }]);
      }
    }
    // JSON is YAML 1.2: one reader gives both their lines and types.
    const parsed = parseYamlDocument({ file, text, limits });
    if (!parsed.ok) return parsed;
    const { doc, lines } = parsed.value;
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) return ok({ file, format, data: {}, leaves: new Map(), paramLeaves: [] });
    if (!isMap(root)) return err([{ file, line: yamlNodeLine(root, lines), message: "the top level must be a mapping of names to values" }]);
    return ok({ file, format, ...yamlToParams({ root, lines, pythonJson: format === "json" }) });
  });
}

function formatOf(file: string): ParamsFormat {
  const ext = file.slice(file.lastIndexOf(".")).toLowerCase();
  return ext === ".json" ? "json" : ext === ".toml" ? "toml" : "yaml";
}

function jsonErrorPosition(text: string, e: unknown): { line?: number; column?: number } {
  const message = (e as Error).message;
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), column: Number(lineCol[2]) };
  const pos = /position (\d+)/.exec(message);
  if (!pos) return {};
  const offset = Number(pos[1]);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
