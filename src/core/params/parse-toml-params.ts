import { parse as parseToml, TomlDate, TomlError } from "smol-toml";
import type { ParseLimits } from "../limits/parse-limits.js";
import type { Problem } from "../problem.js";
import { err, ok, type Result } from "../result.js";
import type { ParamLeaf, ParamType } from "./param-leaf.js";
import { formatParamPath } from "./param-path.js";
import type { ParamsFile } from "./params-file.js";
import { pyFloat, pyInt } from "./py-number.js";

/**
 * A TOML params file -> value tree and leaves (no lines: the TOML reader has none). Ints stay
 * ints (exact past 2^53), floats stay floats, dates become ISO strings typed `date`. Tables
 * nested (dotted keys included) deeper than `limits.maxDepth` are refused.
 */
export function parseTomlParams(params: { file: string; text: string; limits: Pick<ParseLimits, "maxDepth"> }): Result<ParamsFile, Problem[]> {
  const { file, text, limits } = params;
  // A key or table header of more segments than the depth limit is refused before the TOML
  // reader builds its tables (262,144 segments took it 0.2-0.8 s).
  if (mostKeySegments(text) > limits.maxDepth) return err([{ file, message: `nesting is deeper than ${limits.maxDepth} levels (the limit for repository files)` }]);
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(text, { integersAsBigInt: true, maxDepth: limits.maxDepth, unsafeKeyBehaviour: "keep" });
  } catch (e) {
    if (e instanceof TomlError) return err([{ file, line: e.line, column: e.column, message: `invalid TOML: ${e.message.split("\n")[0] ?? ""}` }]);
    if (e instanceof RangeError) return err([{ file, message: `nesting is deeper than ${limits.maxDepth} levels (the limit for repository files)` }]);
    return err([{ file, message: `invalid TOML: ${String(e)}` }]);
  }
  if (depthOf(raw, limits.maxDepth) > limits.maxDepth) return err([{ file, message: `nesting is deeper than ${limits.maxDepth} levels (the limit for repository files)` }]);
  const leaves = new Map<string, { type: ParamType; line: number | undefined }>();
  const paramLeaves: ParamLeaf[] = [];
  const record = (path: string[], type: ParamType, value: unknown) => {
    leaves.set(path.join("."), { type, line: undefined });
    paramLeaves.push({ key: formatParamPath(path), path, value, type, line: undefined });
  };
  const data = convert(raw, [], record) as Record<string, unknown>;
  return ok({ file, format: "toml", data, leaves, paramLeaves });
}

/** bigint ints -> `pyInt`, floats -> `pyFloat`, dates -> ISO strings; records leaf types on the way. */
function convert(value: unknown, path: string[], record: ((path: string[], type: ParamType, value: unknown) => void) | undefined): unknown {
  const leaf = (type: ParamType, v: unknown) => {
    record?.(path, type, v);
    return v;
  };
  if (typeof value === "bigint") return leaf("int", pyInt(value));
  if (typeof value === "number") return leaf("float", pyFloat(value));
  if (value instanceof TomlDate || value instanceof Date) return leaf("date", value.toISOString());
  if (Array.isArray(value)) return leaf("list", value.map((v) => convert(v, path, undefined)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: convert(v, [...path, k], record), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return leaf(typeof value === "boolean" ? "bool" : "string", value);
}

/** Nesting depth of tables and arrays, without recursion; stops counting past `max`. */
function depthOf(root: unknown, max: number): number {
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== "object" || value instanceof Date) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > max) return deepest;
    for (const child of Object.values(value)) stack.push({ value: child, depth: depth + 1 });
  }
  return deepest;
}

/**
 * The most segments of one dotted key or table header (`a."b.c".d` has 3), in one pass over the
 * text. Only a line that reads as a key (non-empty segments, then `=` or `]`) counts, so a line of
 * dots inside a multi-line string does not.
 */
function mostKeySegments(text: string): number {
  let most = 0;
  let i = 0;
  while (i < text.length) {
    while (text[i] === " " || text[i] === "\t" || text[i] === "[") i++;
    let segments = 1;
    let named = false;
    let key = true;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === ".") {
        key &&= named;
        named = false;
        segments++;
      } else if (c === '"' || c === "'") {
        for (i++; i < text.length && text[i] !== c && text[i] !== "\n"; i++) if (c === '"' && text[i] === "\\") i++;
        named = true;
      } else if (/[A-Za-z0-9_-]/.test(c)) named = true;
      else if (c !== " " && c !== "\t") break;
    }
    if (key && named && (text[i] === "=" || text[i] === "]") && segments > most) most = segments;
    const next = text.indexOf("\n", i);
    i = next < 0 ? text.length : next + 1;
  }
  return most;
}
