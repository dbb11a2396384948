import { parse as parseToml, TomlDate, TomlError } from "smol-toml";
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from "yaml";
import { parseYamlDocument } from "../dvc/parse-yaml-document.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import type { ParamType } from "./param-leaf.js";
import type { ParamsFile, ParamsFormat } from "./params-file.js";

type Leaves = Map<string, { type: ParamType; line: number | undefined }>;

/**
 * A params or metrics file -> its value tree, with each leaf's type and line. The format comes
 * from the extension like DVC's loaders: `.json`, `.toml`, else YAML (`.yaml`, `.yml`).
 * The top level must be a mapping. Never throws.
 */
export function parseParamsFile(params: { file: string; text: string }): Result<ParamsFile, Problem[]> {
  const { file, text } = params;
  const format = formatOf(file);
  if (format === "toml") return parseTomlParams(file, text);
  if (format === "json") {
    try {
      JSON.parse(text);
    } catch (e) {
      return err([{ file, ...jsonErrorPosition(text, e), message: `invalid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, "")}` }]);
    }
  }
  const parsed = parseYamlDocument({ file, text });
  if (!parsed.ok) return parsed;
  const { doc, lines } = parsed.value;
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return ok({ file, format, data: {}, leaves: new Map() });
  if (!isMap(root)) return err([{ file, line: root.range ? lines.linePos(root.range[0]).line : undefined, message: "the top level must be a mapping of names to values" }]);
  const leaves: Leaves = new Map();
  walkYaml(root, "", doc, lines, leaves);
  return ok({ file, format, data: doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>, leaves });
}

function formatOf(file: string): ParamsFormat {
  const ext = file.slice(file.lastIndexOf(".")).toLowerCase();
  return ext === ".json" ? "json" : ext === ".toml" ? "toml" : "yaml";
}

function walkYaml(node: unknown, prefix: string, doc: Document.Parsed, lines: LineCounter, leaves: Leaves): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const dotted = prefix ? `${prefix}.${key}` : key;
    let value: unknown = pair.value;
    if (isAlias(value)) value = value.resolve(doc);
    const line = isScalar(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]).line : undefined;
    if (isMap(value)) walkYaml(value, dotted, doc, lines, leaves);
    else if (isSeq(value)) leaves.set(dotted, { type: "list", line });
    else if (isScalar(value)) leaves.set(dotted, { type: scalarType(value.value, value.source), line });
    else leaves.set(dotted, { type: "null", line });
  }
}

function scalarType(value: unknown, source: string | undefined): ParamType {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "string";
  if (typeof value === "number" || typeof value === "bigint") {
    if (typeof value === "bigint") return "int";
    if (source !== undefined) return /^[-+]?(?:0x[0-9a-f]+|0o[0-7]+|[0-9]+)$/i.test(source.trim()) ? "int" : "float";
    return Number.isInteger(value) ? "int" : "float";
  }
  return "string";
}

function parseTomlParams(file: string, text: string): Result<ParamsFile, Problem[]> {
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(text, { integersAsBigInt: true });
  } catch (e) {
    if (e instanceof TomlError) return err([{ file, line: e.line, column: e.column, message: `invalid TOML: ${e.message.split("\n")[0] ?? ""}` }]);
    return err([{ file, message: `invalid TOML: ${String(e)}` }]);
  }
  const leaves: Leaves = new Map();
  const data = convertToml(raw, "", leaves) as Record<string, unknown>;
  return ok({ file, format: "toml", data, leaves });
}

/** bigint ints -> numbers (typed int), dates -> ISO strings; records leaf types on the way. */
function convertToml(value: unknown, prefix: string, leaves: Leaves | undefined): unknown {
  if (typeof value === "bigint") {
    leaves?.set(prefix, { type: "int", line: undefined });
    return Number(value);
  }
  if (value instanceof TomlDate || value instanceof Date) {
    leaves?.set(prefix, { type: "date", line: undefined });
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    leaves?.set(prefix, { type: "list", line: undefined });
    return value.map((v) => convertToml(v, prefix, undefined));
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = convertToml(v, prefix ? `${prefix}.${k}` : k, leaves);
    return out;
  }
  leaves?.set(prefix, { type: typeof value === "number" ? "float" : typeof value === "boolean" ? "bool" : "string", line: undefined });
  return value;
}

function jsonErrorPosition(text: string, e: unknown): { line?: number; column?: number } {
  const message = (e as Error).message;
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), column: Number(lineCol[2]) };
  const pos = /position (\d+)/.exec(message);
  if (!pos) return {};
  const offset = Number(pos[1]);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
