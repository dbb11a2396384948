/**
 * What `uses: <owner>/mlops-bot@v1` runs: action.yml's inputs are the ones the code reads, and the
 * bundle scripts/build-action.sh makes runs as a node20 step with no node_modules beside it.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, makeExampleOrigin } from "../helpers/example-repo.js";
import { git } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);

describe("action.yml and its bundle", () => {
  it("declares a node20 action on dist-action/main.js with exactly the inputs the code reads", () => {
    const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as { runs: { using: string; main: string }; inputs: Record<string, { default?: string }> };
    expect(action.runs).toEqual({ using: "node20", main: "dist-action/main.js" });
    const code = ["src/action/action-context.ts"].map((f) => readFileSync(path.join(ROOT, f), "utf8")).join("\n");
    const read = [...code.matchAll(/input\("([a-z-]+)"\)/g)].map((m) => m[1]);
    expect(Object.keys(action.inputs).sort()).toEqual([...new Set(read)].sort());
    expect(action.inputs["github-token"]?.default).toBe("${{ github.token }}");
  });

  it("runs from the built bundle alone: diff of the example project to the job summary, with no token", async () => {
    const dir = tempDir("mlops-bot-action-bundle-");
    await run("bash", [path.join(ROOT, "scripts/build-action.sh"), path.join(dir, "action")]);
    const origin = path.join(dir, "origin");
    makeExampleOrigin({ dir: origin, pr: 3, change: { "train.n_estimators": "90" } });
    const ws = path.join(dir, "ws");
    git(dir, "clone", "-q", origin, ws);
    git(ws, "fetch", "-q", "origin", "refs/pull/3/head");
    git(ws, "checkout", "-q", "FETCH_HEAD");
    writeFileSync(path.join(dir, "event.json"), "{}");
    writeFileSync(path.join(dir, "summary.md"), "");
    const env = {
      PATH: process.env.PATH,
      GITHUB_REPOSITORY: "o/r",
      GITHUB_EVENT_NAME: "workflow_dispatch",
      GITHUB_EVENT_PATH: path.join(dir, "event.json"),
      GITHUB_WORKSPACE: ws,
      GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
      INPUT_COMMAND: "diff",
      INPUT_BASE: "main",
    };
    const { stdout } = await run(process.execPath, [path.join(dir, "action", "main.js")], { cwd: dir, env });
    expect(stdout).toContain("mlops-bot diff --markdown --base origin/main");
    const summary = readFileSync(path.join(dir, "summary.md"), "utf8");
    expect(summary).toMatch(/^## Data: origin\/main → HEAD/);
    expect(summary).toContain("| ml/params.yaml | train.n_estimators | 100 | 90 |");
  }, 60_000);
});
