import { isMap, isScalar, isSeq, type LineCounter } from "yaml";
import { problemsFull, type Problem } from "../problem.js";
import { MD5_PATTERN, type DvcEntry } from "./dvc-entry.js";
import { yamlNodeLine } from "../yaml/yaml-node-line.js";

const OTHER_HASHES = ["etag", "checksum"];

/**
 * A yaml sequence of `deps`/`outs` entries -> typed entries. Problems (missing path, an md5 of the
 * wrong form, a non-numeric size) are appended to `problems`; the entry is then left out.
 */
export function parseDvcEntries(params: {
  file: string;
  node: unknown;
  lines: LineCounter;
  where: string;
  problems: Problem[];
}): DvcEntry[] {
  const { file, node, lines, where, problems } = params;
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    problems.push({ file, line: yamlNodeLine(node, lines), path: where, message: "expected a list of entries" });
    return [];
  }
  const entries: DvcEntry[] = [];
  for (const [index, item] of node.items.entries()) {
    if (problemsFull(problems, file)) break;
    const line = yamlNodeLine(item, lines);
    const at = `${where}[${index}]`;
    if (!isMap(item)) {
      problems.push({ file, line, path: at, message: "expected a mapping with `path` and a hash" });
      continue;
    }
    const { raw, nodes } = readEntryFields(item.items);
    const entry = toEntry(raw, (message, key) => {
      const valueNode = key === undefined ? undefined : nodes.get(key);
      problems.push({ file, line: yamlNodeLine(valueNode, lines) ?? line, path: key ? `${at}.${key}` : at, message });
    });
    if (entry) entries.push({ ...entry, line });
  }
  return entries;
}

/**
 * An entry's fields in one pass (thousands of entries: the library's `toJSON` per entry cost a
 * third of a big dvc.lock's time): scalars as their values, other values as `toJSON` gives them,
 * the last of a repeated key winning. A hash that YAML reads as a number (`1234e5678...`) is
 * text: taken as written.
 */
function readEntryFields(pairs: ReadonlyArray<{ key: unknown; value: unknown }>): { raw: Record<string, unknown>; nodes: Map<string, unknown> } {
  const raw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const nodes = new Map<string, unknown>();
  for (const { key, value } of pairs) {
    const name = isScalar(key) ? String(key.value) : String(key);
    nodes.set(name, value);
    if (isScalar(value)) {
      const hash = name === "md5" || OTHER_HASHES.includes(name);
      raw[name] = hash && typeof value.value === "number" && value.source ? value.source : value.value;
    } else raw[name] = value === null ? null : (value as { toJSON(): unknown }).toJSON();
  }
  return { raw, nodes };
}

function toEntry(raw: Record<string, unknown>, problem: (message: string, key?: string) => void): DvcEntry | undefined {
  const path = raw.path;
  if (typeof path !== "string" || path === "") {
    problem("entry has no `path`");
    return undefined;
  }
  let hash: string | undefined;
  let hashName = "md5";
  if (raw.md5 !== undefined && raw.md5 !== null) {
    if (typeof raw.md5 !== "string" || !MD5_PATTERN.test(raw.md5)) {
      problem(`\`md5\` must be 32 lower-case hex digits (with \`.dir\` for a folder), got ${JSON.stringify(raw.md5)}`, "md5");
      return undefined;
    }
    hash = raw.md5;
    hashName = raw.hash === "md5" ? "md5" : "md5-dos2unix";
  } else {
    for (const name of OTHER_HASHES) {
      const value = raw[name];
      if (typeof value === "string" && value !== "") {
        hash = value;
        hashName = name;
        break;
      }
    }
  }
  const size = numberField(raw, "size", problem);
  const nfiles = numberField(raw, "nfiles", problem);
  if (size === null || nfiles === null) return undefined;
  return {
    path,
    hash,
    hashName,
    isDir: hash?.endsWith(".dir") ?? false,
    size,
    nfiles,
    cache: raw.cache !== false,
  };
}

/** undefined when absent, null when present but not a non-negative integer (a problem was reported). */
function numberField(raw: Record<string, unknown>, key: string, problem: (m: string, k?: string) => void): number | undefined | null {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    problem(`\`${key}\` must be a non-negative integer, got ${JSON.stringify(value)}`, key);
    return null;
  }
  return value;
}
