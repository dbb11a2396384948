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
  return parsePyJson(readFileSync(path.join(FIXTURES, "expected", name), "utf8"));
}

/**
 * JSON as Python writes it (DVC's `--json`, and ours from `stringifyPyJson`) -> a value to
 * compare with `toEqual`, exactly where `JSON.parse` would not be: `NaN`, `Infinity`,
 * `-Infinity` (which it rejects), ints past 2^53 (which it rounds: `…123` and `…124` would be
 * equal) and whole floats (`100000.0`, which it reads as the int `100000`) become the strings
 * `"py:<as written>"`. Other numbers stay numbers (see `withoutFloatNoise`).
 */
export function parsePyJson(text: string): unknown {
  const token = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
  return JSON.parse(
    text.replace(token, (t) => {
      if (t.startsWith('"')) return t;
      const exact = /^(?:-?Infinity|NaN|-?\d+\.0)$/.test(t) || (/^-?\d+$/.test(t) && !Number.isSafeInteger(Number(t)));
      return exact ? JSON.stringify(`py:${t}`) : t;
    }),
  );
}

/**
 * DVC's `--json` of a values diff with its binary float noise taken out: DVC subtracts floats as
 * Python does (`0.5 - 0.4` is `0.09999999999999998`); we print the decimal difference (`0.1`).
 * Every float `diff` is rounded to 12 significant digits; `old`, `new` and int diffs stay as DVC wrote them.
 */
export function withoutFloatNoise(expected: unknown): unknown {
  if (Array.isArray(expected)) return expected.map(withoutFloatNoise);
  if (typeof expected !== "object" || expected === null) return expected;
  return Object.fromEntries(
    Object.entries(expected).map(([k, v]) => [k, k === "diff" && typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(12)) : withoutFloatNoise(v)]),
  );
}
