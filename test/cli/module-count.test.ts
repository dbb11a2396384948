/**
 * Start-up cost, measured by what is loaded, not by time: every module a `mlops-bot` process
 * loads is logged (test/helpers/count-modules.cjs) and counted. `--help` loads the command specs
 * and nothing else; `train`, `diff` and `backlog` load their own work but none of the heavy
 * optional parts (the inference runtime, Docker, Google's clients, PostgreSQL, SQLite, Probot).
 * `npm run bench:cli` times the same start-ups.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/example-repo.js";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);
const HEAVY = ["onnxruntime-node", "dockerode", "@google-cloud/storage", "@google-cloud/run", "google-auth-library", "pg", "better-sqlite3", "probot", "vega", "playwright-core"];

/** The modules `mlops-bot <args>` loads from the sources: ours (under src/) and each package's. */
async function loadedBy(args: string[]): Promise<{ ours: string[]; packages: Map<string, number>; total: number }> {
  const dir = tempDir();
  const log = path.join(dir, "modules.log");
  const tsx = new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;
  await run(process.execPath, ["--require", path.join(ROOT, "test/helpers/count-modules.cjs"), "--import", tsx, path.join(ROOT, "src/cli/main.ts"), ...args], {
    cwd: dir,
    env: { ...process.env, MODULE_LOG: log, XDG_CACHE_HOME: path.join(dir, "cache") },
  }).catch((e: { code?: number }) => {
    if (typeof e.code !== "number") throw e; // exit codes 1 and 2 are fine here: what was loaded by then counts
  });
  // tsx and esbuild run the TypeScript sources; the built package has neither.
  const files = [...new Set(readFileSync(log, "utf8").split("\n").filter(Boolean))].map((f) => f.replace(/^file:\/\//, "").replace(/\?.*$/, "")).filter((f) => !/node_modules\/(tsx|esbuild)\//.test(f));
  const ours = files.filter((f) => f.startsWith(path.join(ROOT, "src"))).map((f) => path.relative(ROOT, f));
  const packages = new Map<string, number>();
  for (const f of files) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1];
    if (name) packages.set(name, (packages.get(name) ?? 0) + 1);
  }
  return { ours, packages, total: new Set(files).size };
}

describe("what mlops-bot loads", () => {
  it("--help loads the dispatcher and the command specs only: no package at all, under 25 modules", async () => {
    const { ours, packages, total } = await loadedBy(["--help"]);
    expect([...packages.keys()]).toEqual([]);
    expect(ours.every((f) => f.startsWith("src/cli/") || f.startsWith("src/core/")), ours.join("\n")).toBe(true);
    expect(ours.some((f) => f.startsWith("src/cli/train/") || f.startsWith("src/cli/diff/") || f.startsWith("src/adapters/"))).toBe(false);
    expect(total).toBeLessThan(25);
  });

  it("train --help loads no more than --help", async () => {
    const help = await loadedBy(["--help"]);
    expect((await loadedBy(["train", "--help"])).total).toBe(help.total);
  });

  it.each([[["train"]], [["diff"]], [["backlog", "missing.md"]]])("%j loads its work but none of the heavy optional parts", async (args) => {
    const { ours, packages } = await loadedBy(args);
    expect(ours.length).toBeGreaterThan(20); // its work was loaded (it ran into a missing repository or file)
    expect(HEAVY.filter((name) => packages.has(name))).toEqual([]);
  });
});
