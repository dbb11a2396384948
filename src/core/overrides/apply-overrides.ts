import { parse as parseToml, stringify as stringifyToml } from "smol-toml";
import { isMap, isScalar, type Node } from "yaml";
import { parseYamlDocument } from "../yaml/parse-yaml-document.js";
import type { TypedOverride } from "./validate-overrides.js";

/**
 * Writes validated overrides into a params file's text. YAML and JSON are edited in place: only
 * the overridden scalars' characters change (comments, layout, and every other value's spelling
 * stay byte for byte: `1.0` elsewhere stays `1.0`). TOML is re-serialised with its types kept
 * (ints stay ints, floats floats; comments are lost). Each value is written as its `literal`,
 * which has the leaf's type in all three formats. Overrides are data: they never reach a shell.
 * Throws when a key is missing (the overrides were validated against another text).
 */
export function applyOverrides(params: { file: string; text: string; overrides: readonly TypedOverride[] }): string {
  if (params.overrides.length === 0) return params.text;
  const ext = params.file.slice(params.file.lastIndexOf(".")).toLowerCase();
  if (ext === ".toml") return applyToToml(params.text, params.overrides);
  const parsed = parseYamlDocument({ file: params.file, text: params.text });
  if (!parsed.ok) throw new Error(`${params.file} cannot be read: ${parsed.error[0]?.message ?? "invalid"}`);
  const edits = params.overrides.map((o) => {
    const node = findScalar(parsed.value.doc.contents, o.path);
    if (!node?.range) throw new Error(`${params.file}: ${o.key} is not a scalar`);
    return { start: node.range[0], end: node.range[1], text: o.literal };
  });
  let text = params.text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return text;
}

/** The scalar at an exact key path (keys compared as the params reader names them). */
function findScalar(root: Node | null, path: readonly string[]): (Node & { range?: [number, number, number] | null }) | undefined {
  let node: unknown = root;
  for (const segment of path) {
    if (!isMap(node)) return undefined;
    // The last pair with the key wins, as in the parsed value (duplicates are refused anyway).
    const pair = node.items.findLast((p) => isScalar(p.key) && String(p.key.value) === segment);
    node = pair?.value;
  }
  return isScalar(node) ? node : undefined;
}

function applyToToml(text: string, overrides: readonly TypedOverride[]): string {
  const data = parseToml(text, { integersAsBigInt: true }) as Record<string, unknown>;
  for (const o of overrides) {
    let node = data;
    for (const key of o.path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    const last = o.path.at(-1)!;
    if (!Object.hasOwn(node, last)) throw new Error(`${o.key} is not in the TOML file`);
    node[last] = tomlValue(o);
  }
  // Ints are bigints and every other number is a float, so each keeps its type when written.
  return stringifyToml(data, { numbersAsFloat: true });
}

function tomlValue(o: TypedOverride): unknown {
  if (o.type === "int") return BigInt(o.literal);
  if (o.type === "float") return Number(o.literal);
  return o.value;
}
