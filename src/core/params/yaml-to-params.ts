import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Scalar, type YAMLMap } from "yaml";
import { yamlNodeLine } from "../yaml/yaml-node-line.js";
import type { ParamLeaf, ParamType } from "./param-leaf.js";
import { formatParamPath } from "./param-path.js";
import type { ParamsFile } from "./params-file.js";
import { PYTHON_JSON_CONSTANTS } from "./mask-python-json-constants.js";
import { pyFloat, pyInt } from "./py-number.js";

const INT_SOURCE = /^[-+]?(?:0x[0-9a-f]+|0o[0-7]+|[0-9]+)$/i;

/**
 * A checked YAML (or JSON) mapping -> the params value tree and its leaves, in one walk in
 * document order. Numbers keep their type (`PyNumber`): the scalar's source says int or float.
 * Aliases are expanded (their anchor is the last one above them, as YAML defines it); the
 * document was checked by `checkYamlDocument`, so the walk is bounded in depth and size. With
 * `pythonJson` (a `.json` file), the plain scalars `NaN`, `Infinity` and `-Infinity` are the
 * floats Python's `json` reads them as.
 */
export function yamlToParams(params: { root: YAMLMap; lines: LineCounter; pythonJson?: boolean }): Pick<ParamsFile, "data" | "leaves" | "paramLeaves"> {
  const { lines } = params;
  const scalarValue = (node: Scalar) => readScalar(node, params.pythonJson === true);
  const anchors = new Map<string, Node>();
  const leaves = new Map<string, { type: ParamType; line: number | undefined }>();
  const paramLeaves: ParamLeaf[] = [];

  const value = (node: unknown, expanding: boolean): unknown => {
    if (!node) return null;
    if (isAlias(node)) return value(anchors.get(node.source), true);
    const n = node as Node;
    if (n.anchor && !expanding) anchors.set(n.anchor, n);
    if (isScalar(n)) return scalarValue(n).value;
    if (isSeq(n)) return n.items.map((item) => value(item, expanding));
    if (isMap(n)) return mapping(n, undefined, expanding);
    return null;
  };

  /** A mapping; with `path`, its leaves are recorded (the params tree proper, outside lists). */
  const mapping = (node: YAMLMap, path: string[] | undefined, expanding: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : isAlias(keyNode) ? `*${keyNode.source}` : String(keyNode);
      if (isScalar(keyNode) && keyNode.anchor && !expanding) anchors.set(keyNode.anchor, keyNode);
      let child = pair.value as Node | null;
      let childExpanding = expanding;
      if (!expanding && child?.anchor) anchors.set(child.anchor, child);
      if (isAlias(child)) {
        child = anchors.get(child.source) ?? null;
        childExpanding = true;
      }
      let v: unknown;
      if (path && isMap(child)) v = mapping(child, [...path, key], childExpanding);
      else {
        v = value(child, childExpanding);
        if (path) {
          const leafPath = [...path, key];
          const type = leafType(child, params.pythonJson === true);
          const line = yamlNodeLine(keyNode, lines);
          const dotted = leafPath.join(".");
          leaves.set(dotted, { type, line });
          paramLeaves.push({ key: formatParamPath(leafPath), path: leafPath, value: v, type, line });
        }
      }
      // A key named `__proto__` is data, not the object's prototype.
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };

  const data = mapping(params.root, [], false);
  return { data, leaves, paramLeaves };
}

function leafType(node: Node | null, pythonJson: boolean): ParamType {
  if (!node) return "null";
  if (isSeq(node)) return "list";
  if (isScalar(node)) return readScalar(node, pythonJson).type;
  return "null";
}

/** A scalar's value with its Python type: ints past 2^53 as bigint, whole floats boxed. */
function readScalar(node: Scalar, pythonJson: boolean): { value: unknown; type: ParamType } {
  const v = node.value;
  if (v === null || v === undefined) return { value: null, type: "null" };
  const constant = pythonJson && node.type === "PLAIN" && typeof v === "string" ? PYTHON_JSON_CONSTANTS.get(v) : undefined;
  if (constant !== undefined) return { value: constant, type: "float" };
  if (typeof v === "boolean") return { value: v, type: "bool" };
  if (typeof v === "bigint") return { value: pyInt(v), type: "int" };
  if (typeof v === "number") {
    const source = node.source?.trim();
    const isInt = source !== undefined ? INT_SOURCE.test(source) : Number.isInteger(v);
    if (!isInt) return { value: pyFloat(v), type: "float" };
    if (Number.isSafeInteger(v)) return { value: v, type: "int" };
    return { value: bigIntOf(source) ?? v, type: "int" };
  }
  return { value: typeof v === "string" ? v : JSON.stringify(v), type: "string" };
}

/** `123456789012345678901234567890`, `-0x1F`, `0o17` -> exact bigint. */
function bigIntOf(source: string | undefined): bigint | undefined {
  if (source === undefined) return undefined;
  const negative = source.startsWith("-");
  const body = source.replace(/^[-+]/, "");
  try {
    const n = BigInt(body.toLowerCase().startsWith("0o") ? `0o${body.slice(2)}` : body);
    return negative ? -n : n;
  } catch {
    return undefined;
  }
}
