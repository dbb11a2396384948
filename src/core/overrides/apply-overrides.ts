import { parse as parseToml, stringify as stringifyToml } from "smol-toml";
import { isScalar, parseDocument } from "yaml";
import type { TypedOverride } from "./validate-overrides.js";

/**
 * Writes validated overrides into a params file's text. YAML keeps its comments and layout (only
 * the overridden scalars change); JSON and TOML are re-serialised. Overrides are data: they never
 * reach a shell. Floats keep a decimal point so their type stays float.
 */
export function applyOverrides(params: { file: string; text: string; overrides: readonly TypedOverride[] }): string {
  const ext = params.file.slice(params.file.lastIndexOf(".")).toLowerCase();
  if (params.overrides.length === 0) return params.text;
  if (ext === ".json") {
    const data = JSON.parse(params.text) as Record<string, unknown>;
    for (const o of params.overrides) setIn(data, o.key.split("."), o.value);
    return `${JSON.stringify(data, null, 2)}\n`;
  }
  if (ext === ".toml") {
    const data = parseToml(params.text);
    for (const o of params.overrides) setIn(data, o.key.split("."), o.value);
    return stringifyToml(data);
  }
  // YAML: replace each overridden scalar's characters in place, so everything else (comments,
  // spacing, flow style) stays byte for byte.
  const doc = parseDocument(params.text);
  const edits = params.overrides.map((o) => {
    const node = doc.getIn(o.key.split("."), true);
    if (!isScalar(node) || !node.range) throw new Error(`${params.file}: ${o.key} is not a scalar`);
    return { start: node.range[0], end: node.range[1], text: yamlScalar(o) };
  });
  let text = params.text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return text;
}

function yamlScalar(o: TypedOverride): string {
  if (o.value === null) return "null";
  if (typeof o.value === "string") return JSON.stringify(o.value);
  if (typeof o.value === "number" && o.type === "float" && Number.isInteger(o.value)) return `${o.value}.0`;
  return String(o.value);
}

function setIn(data: Record<string, unknown>, path: string[], value: unknown): void {
  let node = data;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1)!] = value;
}
