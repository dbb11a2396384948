import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { trainCommand } from "../../src/cli/commands/train.js";
import type { CliIo } from "../../src/cli/cli-command.js";
import { JOB_PATH, makeExampleOrigin } from "../helpers/example-repo.js";
import { git } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/temp-dir.js";

function capture(cwd: string): CliIo & { stdout: string; stderr: string } {
  const io = {
    cwd,
    env: { PATH: JOB_PATH, HOME: process.env.HOME },
    stdout: "",
    stderr: "",
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

describe("mlops-bot train", () => {
  it("trains HEAD in a worktree and prints the dvc-shaped metrics and params diff against the base", async () => {
    const repo = path.join(tempDir(), "project");
    const { head } = makeExampleOrigin({ dir: repo, change: { "train.n_estimators": "80" } });
    git(repo, "checkout", "-q", "-b", "experiment", head);
    const io = capture(repo);
    const markdown = path.join(repo, "report.md");

    const code = await trainCommand.run(["--base", "main", "--quiet", "--markdown", markdown, "train.learning_rate=0.2"], io);

    expect(io.stderr).toContain(`Training ${head.slice(0, 7)} against main`);
    const runDir = /Log and results: (.*)\n/.exec(io.stdout)![1]!;
    const produced = JSON.parse(readFileSync(path.join(runDir, "results/ml/metrics.json"), "utf8")) as Record<string, number>;
    const committed = JSON.parse(readFileSync(path.join(repo, "ml/metrics.json"), "utf8")) as Record<string, number>;
    for (const [metric, value] of Object.entries(produced)) {
      const r = (n: number) => String(Number(n.toFixed(5)));
      expect(io.stdout).toContain(`| ml/metrics.json | ${metric} | ${r(committed[metric]!)} | ${r(value)} |`);
    }
    expect(io.stdout).toContain("| ml/params.yaml | train.learning_rate | 0.1 | 0.2 |");
    expect(io.stdout).toContain("| ml/params.yaml | train.n_estimators | 100 | 80 |");
    expect(readFileSync(markdown, "utf8")).toMatch(/^## mlops-bot\/train: accuracy /);
    expect(code).toBe(0);
    expect(git(repo, "status", "--porcelain", "--untracked-files=no")).toBe(""); // your files are not touched
  }, 120_000);

  it("explains usage errors with exit code 2", async () => {
    const notRepo = tempDir();
    const io = capture(notRepo);
    expect(await trainCommand.run([], io)).toBe(2);
    expect(io.stderr).toContain("is not inside a git repository");

    const repo = path.join(tempDir(), "project");
    makeExampleOrigin({ dir: repo });
    const io2 = capture(repo);
    expect(await trainCommand.run(["--base", "nope"], io2)).toBe(2);
    expect(io2.stderr).toContain('cannot find "nope" to compare with');
    const io3 = capture(repo);
    expect(await trainCommand.run(["train.n_estimators=lots", "stray"], io3)).toBe(2);
    expect(io3.stderr).toContain('overrides are key=value; got "stray"');
    const io4 = capture(repo);
    expect(await trainCommand.run(["train.n_estimators=lots"], io4)).toBe(2);
    expect(io4.stderr).toContain("train.n_estimators is an integer in ml/params.yaml");
    // The same check as /train's: a key given twice, a params file that is not there.
    const io5 = capture(repo);
    expect(await trainCommand.run(["train.learning_rate=0.05", "train.learning_rate=0.06"], io5)).toBe(2);
    expect(io5.stderr).toContain("train.learning_rate is given twice");
    mkdirSync(path.join(repo, ".github"), { recursive: true });
    writeFileSync(path.join(repo, ".github/mlops-bot.yml"), "pipeline:\n  params: [params.yaml, missing.yaml]\n");
    const io6 = capture(repo);
    expect(await trainCommand.run(["train.learning_rate=0.05"], io6)).toBe(2);
    expect(io6.stderr).toMatch(/ml\/missing.yaml does not exist at [0-9a-f]{7}, so overrides cannot be checked/);
  });
});
