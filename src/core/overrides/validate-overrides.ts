import type { ParamLeaf } from "../params/param-leaf.js";
import { formatPythonFloat } from "../params/format-python-value.js";
import { err, ok, type Result } from "../result.js";
import { overridePathId, type Override } from "./parse-override.js";

export type { Override } from "./parse-override.js";

/**
 * An override checked against its params file: the file it goes to, its key path, its type (the
 * leaf's own) and its value. JSON-safe: it is stored with the job.
 */
export interface TypedOverride {
  readonly file: string;
  /** The key as shown to users (`train.lr`, `a."b.c"`). */
  readonly key: string;
  readonly path: readonly string[];
  readonly type: ParamLeaf["type"];
  /** The value: a number (floats, safe ints), the digits of an int past 2^53, a string, a bool or null. */
  readonly value: string | number | boolean | null;
  /** The value exactly as it is written into the file (YAML, JSON and TOML alike): `0.05`, `100000.0`, `"text"`. */
  readonly literal: string;
}

/**
 * `/train key=value` overrides -> typed values, checked against the params files at the PR head:
 * the key path must be an existing leaf (in exactly one file), the value must have the leaf's
 * type (an int stays an int, a float a float; nothing non-finite), and a key may be given once.
 * Every problem is listed, with the valid keys, so one reply says all that is wrong.
 */
export function validateOverrides(params: {
  overrides: readonly Override[];
  files: ReadonlyArray<{ readonly file: string; readonly leaves: readonly ParamLeaf[] }>;
}): Result<TypedOverride[], string[]> {
  const problems: string[] = [];
  const typed: TypedOverride[] = [];
  const leaves = new Map<string, Array<{ file: string; leaf: ParamLeaf }>>();
  const groups = new Map<string, ParamLeaf>();
  for (const f of params.files) {
    for (const leaf of f.leaves) {
      const id = overridePathId(leaf.path);
      const same = leaves.get(id);
      if (same) same.push({ file: f.file, leaf });
      else leaves.set(id, [{ file: f.file, leaf }]);
      // Each group once: stop at the first ancestor already known (its own ancestors are too).
      for (let n = leaf.path.length - 1; n >= 1; n--) {
        const group = overridePathId(leaf.path.slice(0, n));
        if (groups.has(group)) break;
        groups.set(group, leaf);
      }
    }
  }
  const seen = new Set<string>();
  for (const { key, path, value } of params.overrides) {
    const id = overridePathId(path);
    if (seen.has(id)) {
      problems.push(`\`${key}\` is given twice; give each parameter once.`);
      continue;
    }
    seen.add(id);
    const matches = leaves.get(id) ?? [];
    if (matches.length === 0) {
      const group = groups.get(id);
      const hint = group ? ` It is a group; set one of its keys, e.g. \`${group.key}=…\`.` : suggestion(path, params.files);
      problems.push(`\`${key}\` is not a parameter in ${params.files.map((f) => `\`${f.file}\``).join(", ") || "any params file"}.${hint}`);
      continue;
    }
    if (matches.length > 1) {
      problems.push(`\`${key}\` is in several params files (${matches.map((m) => `\`${m.file}\``).join(", ")}); rename one of them to override it.`);
      continue;
    }
    const { file, leaf } = matches[0]!;
    const parsed = parseAs(leaf.type, value);
    if (typeof parsed === "string") {
      const where = leaf.line ? ` (line ${leaf.line})` : "";
      problems.push(`\`${key}\` is ${article(leaf.type)} in \`${file}\`${where}; \`${value}\` is not${parsed}.`);
      continue;
    }
    typed.push({ file, key: leaf.key, path: leaf.path, type: leaf.type, ...parsed });
  }
  if (problems.length === 0) return ok(typed);
  const valid = params.files.flatMap((f) => f.leaves.filter((l) => overridable(l.type)).map((l) => `\`${l.key}\``));
  return err([...problems, `Valid keys: ${valid.join(", ")}.`]);
}

type Parsed = { value: TypedOverride["value"]; literal: string };

/** The raw text as the leaf's type, or why not (text appended to "`x` is not"). */
function parseAs(type: ParamLeaf["type"], raw: string): Parsed | string {
  switch (type) {
    case "int": {
      if (!/^[-+]?\d+$/.test(raw)) return " (write e.g. `200`)";
      const exact = BigInt(raw);
      const safe = exact >= BigInt(Number.MIN_SAFE_INTEGER) && exact <= BigInt(Number.MAX_SAFE_INTEGER);
      return { value: safe ? Number(exact) : exact.toString(), literal: exact.toString() };
    }
    case "float": {
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) return " (write e.g. `0.05`)";
      const n = Number(raw);
      if (!Number.isFinite(n)) return " a finite number (it is too large for a float)";
      // Python's repr, with `.0` on whole values: a float in YAML, JSON and TOML alike.
      return { value: n, literal: formatPythonFloat(n) };
    }
    case "bool":
      return /^(true|false)$/i.test(raw) ? { value: raw.toLowerCase() === "true", literal: raw.toLowerCase() } : " (write `true` or `false`)";
    case "string":
      return { value: raw, literal: JSON.stringify(raw) };
    case "null":
      return raw === "null" || raw === "~" ? { value: null, literal: "null" } : "";
    case "list":
      return ": lists cannot be overridden from a comment";
    default:
      return ": dates cannot be overridden from a comment";
  }
}

function overridable(type: ParamLeaf["type"]): boolean {
  return type !== "list" && type !== "date";
}

function article(type: ParamLeaf["type"]): string {
  return { int: "an integer", float: "a number", bool: "a boolean", string: "a string", null: "null", list: "a list", date: "a date" }[type];
}

function suggestion(path: readonly string[], files: ReadonlyArray<{ readonly leaves: readonly ParamLeaf[] }>): string {
  const last = path.at(-1);
  const near = files.flatMap((f) => f.leaves).filter((l) => l.path.at(-1) === last);
  return near.length ? ` Did you mean ${near.slice(0, 5).map((l) => `\`${l.key}\``).join(" or ")}?` : "";
}
