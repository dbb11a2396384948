import type { ParamLeaf } from "../params/param-leaf.js";
import { err, ok, type Result } from "../result.js";

export interface Override {
  readonly key: string;
  readonly value: string;
}

/** An override checked against its params file: the file it goes to and its typed value. */
export interface TypedOverride {
  readonly file: string;
  readonly key: string;
  readonly value: string | number | boolean | null;
  readonly type: ParamLeaf["type"];
}

/**
 * `/train key=value` overrides -> typed values, checked against the params files at the PR head:
 * the key must be an existing leaf (in exactly one file), and the value must have the leaf's
 * type. Every problem is listed, with the valid keys, so one reply says all that is wrong.
 */
export function validateOverrides(params: {
  overrides: readonly Override[];
  files: ReadonlyArray<{ readonly file: string; readonly leaves: readonly ParamLeaf[] }>;
}): Result<TypedOverride[], string[]> {
  const problems: string[] = [];
  const typed: TypedOverride[] = [];
  for (const { key, value } of params.overrides) {
    const matches = params.files.flatMap((f) => f.leaves.filter((l) => l.key === key).map((leaf) => ({ file: f.file, leaf })));
    const parent = params.files.flatMap((f) => f.leaves.filter((l) => l.key.startsWith(`${key}.`)));
    if (matches.length === 0) {
      const hint = parent.length ? ` It is a group; set one of its keys, e.g. \`${parent[0]?.key}=…\`.` : suggestion(key, params.files);
      problems.push(`\`${key}\` is not a parameter in ${params.files.map((f) => `\`${f.file}\``).join(", ") || "any params file"}.${hint}`);
      continue;
    }
    if (matches.length > 1) {
      problems.push(`\`${key}\` is in several params files (${matches.map((m) => `\`${m.file}\``).join(", ")}); rename one of them to override it.`);
      continue;
    }
    const { file, leaf } = matches[0]!;
    const parsed = parseAs(leaf.type, value);
    if (parsed === undefined) {
      const where = leaf.line ? ` (line ${leaf.line})` : "";
      problems.push(`\`${key}\` is ${article(leaf.type)} in \`${file}\`${where}; \`${value}\` is not${example(leaf.type)}.`);
      continue;
    }
    typed.push({ file, key, value: parsed, type: leaf.type });
  }
  if (problems.length === 0) return ok(typed);
  const valid = params.files.flatMap((f) => f.leaves.filter((l) => overridable(l.type)).map((l) => `\`${l.key}\``));
  return err([...problems, `Valid keys: ${valid.join(", ")}.`]);
}

function parseAs(type: ParamLeaf["type"], raw: string): string | number | boolean | null | undefined {
  switch (type) {
    case "int":
      return /^[-+]?\d+$/.test(raw) ? Number(raw) : undefined;
    case "float":
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) ? Number(raw) : undefined;
    case "bool":
      return /^(true|false)$/i.test(raw) ? raw.toLowerCase() === "true" : undefined;
    case "string":
      return raw;
    case "null":
      return raw === "null" || raw === "~" ? null : undefined;
    default:
      return undefined; // lists and dates are not overridable from a comment
  }
}

function overridable(type: ParamLeaf["type"]): boolean {
  return type !== "list" && type !== "date";
}

function article(type: ParamLeaf["type"]): string {
  return { int: "an integer", float: "a number", bool: "a boolean", string: "a string", null: "null", list: "a list", date: "a date" }[type];
}

function example(type: ParamLeaf["type"]): string {
  return { int: " (write e.g. `200`)", float: " (write e.g. `0.05`)", bool: " (write `true` or `false`)", string: "", null: "", list: ": lists cannot be overridden from a comment", date: ": dates cannot be overridden from a comment" }[type];
}

function suggestion(key: string, files: ReadonlyArray<{ readonly leaves: readonly ParamLeaf[] }>): string {
  const last = key.split(".").pop() ?? key;
  const near = files.flatMap((f) => f.leaves).filter((l) => l.key.split(".").pop() === last);
  return near.length ? ` Did you mean ${near.map((l) => `\`${l.key}\``).join(" or ")}?` : "";
}
