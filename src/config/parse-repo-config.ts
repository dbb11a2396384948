import { isMap, isScalar, type Document, type LineCounter } from "yaml";
import type { z } from "zod";
import { checkFileSize } from "../core/limits/check-file-size.js";
import { guardParser } from "../core/limits/guard-parser.js";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../core/limits/parse-limits.js";
import type { Problem } from "../core/problem.js";
import { parseYamlDocument } from "../core/yaml/parse-yaml-document.js";
import { err, ok, type Result } from "../core/result.js";
import { REPO_CONFIG_PATH, repoConfigSchema, type RepoConfig } from "./repo-config-schema.js";

/**
 * `.github/mlops-bot.yml` text -> config with every default filled in, or the problems with
 * their lines. A missing or empty file means "all defaults". Read under the parse limits (bytes,
 * depth, aliases: `pipeline: *oops` is a problem on its line). Never throws.
 */
export function parseRepoConfig(text: string | undefined, file = REPO_CONFIG_PATH, limits: ParseLimits = DEFAULT_PARSE_LIMITS): Result<RepoConfig, Problem[]> {
  if (text === undefined || text.trim() === "") return ok(repoConfigSchema.parse({}));
  return guardParser(file, () => {
    const tooBig = checkFileSize({ kind: "repo-config", file, text, limits });
    return tooBig ? err([tooBig]) : parseWithin(text, file, limits);
  });
}

function parseWithin(text: string, file: string, limits: ParseLimits): Result<RepoConfig, Problem[]> {
  const yaml = parseYamlDocument({ file, text, limits });
  if (!yaml.ok) return err(yaml.error.map((p) => ({ ...p, message: p.message.replace(/^invalid YAML: /, "is not valid YAML: ") })));
  const { doc, lines: lineCounter } = yaml.value;
  const value: unknown = doc.toJS({ maxAliasCount: -1 });
  if (value === null || value === undefined) return ok(repoConfigSchema.parse({}));
  const parsed = repoConfigSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  return err(parsed.error.issues.map((issue) => toProblem({ issue, doc, lineCounter, file })));
}

function toProblem(params: { issue: z.core.$ZodIssue; doc: Document; lineCounter: LineCounter; file: string }): Problem {
  const { issue, doc, lineCounter, file } = params;
  const keyPath = issue.path.map(String);
  let position = locate(doc, lineCounter, keyPath);
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const valid = validKeysAt(keyPath);
    message = `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    if (valid.length) message += `; valid keys here: ${valid.join(", ")}`;
    position = locate(doc, lineCounter, [...keyPath, issue.keys[0] ?? ""], true) ?? position;
  }
  return { file, line: position?.line, column: position?.col, path: keyPath.join(".") || undefined, message };
}

/** The line of the value at a key path (or of the key itself), falling back to the nearest parent. */
function locate(doc: Document, lineCounter: LineCounter, keyPath: string[], keyItself = false): { line: number; col: number } | undefined {
  for (let n = keyPath.length; n >= 0; n--) {
    const parentPath = keyPath.slice(0, Math.max(0, n - 1));
    const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
    if (n === 0) return at(parent);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === keyPath[n - 1]);
      const node = pair && (keyItself || !pair.value ? pair.key : pair.value);
      if (at(node)) return at(node);
    }
    const node = at(doc.getIn(keyPath.slice(0, n), true));
    if (node) return node;
  }
  return undefined;

  function at(node: unknown): { line: number; col: number } | undefined {
    const range = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
    return range ? lineCounter.linePos(range[0]) : undefined;
  }
}

function validKeysAt(keyPath: string[]): string[] {
  let schema: unknown = repoConfigSchema;
  for (const key of keyPath) {
    schema = unwrap(schema);
    const shape = (schema as { shape?: Record<string, unknown> }).shape;
    if (!shape || !(key in shape)) return [];
    schema = shape[key];
  }
  const shape = (unwrap(schema) as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { innerType?: unknown; in?: unknown } } | undefined;
  while (s?.def && (s.def.innerType || s.def.in)) s = (s.def.innerType ?? s.def.in) as typeof s;
  return s;
}
