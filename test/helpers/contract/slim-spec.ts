import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { normalizeNullable } from "./schema-validator.js";

const require = createRequire(import.meta.url);
/** Prose and examples (other than the reusable `components.examples`) that no check reads. */
const DROPPED = new Set(["description", "summary", "example", "examples", "externalDocs", "tags", "x-github", "x-octokit"]);

/**
 * A published OpenAPI document without its prose and with its `nullable`s made Ajv's, cached
 * under node_modules/.cache (keyed by the package version) so that each test process parses a
 * few MB instead of the full document.
 */
export function loadSlimSpec(moduleId: string): Record<string, any> {
  const packageJson = require.resolve(`${moduleId.split("/").slice(0, 2).join("/")}/package.json`);
  const { version } = JSON.parse(readFileSync(packageJson, "utf8")) as { version: string };
  const cacheDir = path.join(path.dirname(packageJson), "..", "..", ".cache", "mlops-bot-contracts");
  const cached = path.join(cacheDir, `${moduleId.replace(/[^a-z0-9.]+/gi, "_")}-${version}-v1.json`);
  try {
    return JSON.parse(readFileSync(cached, "utf8")) as Record<string, any>;
  } catch {
    const full = require(moduleId) as Record<string, any>;
    const examples = full.components?.examples;
    const slim = strip(full) as Record<string, any>;
    normalizeNullable(slim);
    if (examples) slim.components.examples = examples;
    mkdirSync(cacheDir, { recursive: true });
    const temp = `${cached}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(slim));
    renameSync(temp, cached);
    return slim;
  }
}

function strip(node: unknown, key = ""): unknown {
  if (Array.isArray(node)) return node.map((n) => strip(n));
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  // Inside `properties`, every key is a field name (a field may be called `description`).
  const fields = key === "properties";
  for (const [k, v] of Object.entries(node)) if (fields || !DROPPED.has(k)) out[k] = strip(v, k);
  return out;
}
