import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/dvc");

/**
 * The git-tracked files of `ml/` at a fixture version, keyed as repository paths (`ml/dvc.lock`).
 * `_dvc/` is stored for `.dvc/` (so this repository is no DVC project itself) and mapped back.
 */
export function fixtureVersion(version: string, prefix = "ml"): Map<string, string> {
  const dir = path.join(FIXTURES, "versions", version);
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full).split(path.sep).join("/").replace(/^_dvc\//, ".dvc/");
    files.set(prefix ? `${prefix}/${rel}` : rel, readFileSync(full, "utf8"));
  }
  return files;
}

export function fixtureExpected(name: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES, "expected", name), "utf8"));
}
