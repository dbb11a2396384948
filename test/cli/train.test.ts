import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { trainCommand } from "../../src/cli/commands/train.js";
import type { CliIo } from "../../src/cli/cli-command.js";
import { JOB_PATH, makeExampleOrigin } from "../helpers/example-repo.js";
import { git } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/temp-dir.js";

/** IO with the user cache in a temp folder (never the real ~/.cache), as a user's shell has it. */
function capture(cwd: string, cache: string): CliIo & { stdout: string; stderr: string } {
  const io = {
    cwd,
    env: { PATH: JOB_PATH, HOME: process.env.HOME, XDG_CACHE_HOME: cache },
    stdout: "",
    stderr: "",
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

function writeConfig(repo: string, yaml: string): void {
  mkdirSync(path.join(repo, ".github"), { recursive: true });
  writeFileSync(path.join(repo, ".github/mlops-bot.yml"), yaml);
}

describe("mlops-bot train", () => {
  let cache: string;
  beforeAll(() => {
    cache = path.join(tempDir("mlops-bot-cache-"), "cache");
  });

  it("trains HEAD in a worktree of the user cache and prints the dvc-shaped diff as JSON and markdown", async () => {
    const repo = path.join(tempDir(), "project");
    const { head } = makeExampleOrigin({ dir: repo, change: { "train.n_estimators": "80" } });
    git(repo, "checkout", "-q", "-b", "experiment", head);
    const io = capture(repo, cache);
    const markdown = path.join(tempDir(), "report.md");

    const code = await trainCommand.run(["--base", "main", "--quiet", "--json", "--markdown", markdown, "train.learning_rate=0.3"], io);

    expect(io.stderr).toContain(`Training ${head.slice(0, 7)} against main`);
    const json = JSON.parse(io.stdout) as {
      head: string;
      conclusion: string;
      run_dir: string;
      metrics: Record<string, Record<string, { old: number; new: number; diff: number }>>;
      params: Record<string, Record<string, { old: number; new: number; diff: number }>>;
      gates: { passed: boolean }[];
    };
    expect(json).toMatchObject({ head, conclusion: "success" });
    expect(json.run_dir.startsWith(path.join(cache, "mlops-bot", "artifacts", "runs"))).toBe(true);
    const produced = JSON.parse(readFileSync(path.join(json.run_dir, "results/ml/metrics.json"), "utf8")) as Record<string, number>;
    const committed = JSON.parse(readFileSync(path.join(repo, "ml/metrics.json"), "utf8")) as Record<string, number>;
    for (const [metric, value] of Object.entries(produced)) expect(json.metrics["ml/metrics.json"]?.[metric]).toMatchObject({ old: committed[metric], new: value });
    // 0.3 - 0.1 is 0.19999999999999998 in binary floating point: the report says 0.2.
    expect(json.params["ml/params.yaml"]?.["train.learning_rate"]).toEqual({ old: 0.1, new: 0.3, diff: 0.2 });
    expect(json.params["ml/params.yaml"]?.["train.n_estimators"]).toEqual({ old: 100, new: 80, diff: -20 });
    expect(io.stdout).not.toMatch(/\d\.\d{12,}/);

    const report = readFileSync(markdown, "utf8");
    expect(report).toMatch(/^## mlops-bot\/train: accuracy /);
    expect(report).toContain("| ml/params.yaml | train.learning_rate | 0.1 | 0.3 |");
    expect(report).toMatch(/requested by [^@\s]+ in /); // a local user, not a GitHub login
    expect(code).toBe(0);
    // Nothing written into the repository: no changed and no untracked files.
    expect(git(repo, "status", "--porcelain")).toBe("");
  }, 180_000);

  it("reports a failed pipeline with its last lines and no metrics table, exit code 1", async () => {
    const repo = path.join(tempDir(), "project");
    makeExampleOrigin({ dir: repo });
    writeConfig(repo, 'pipeline:\n  workdir: ml\n  train: [python, -c, "import sys; print(\'boom in train\'); sys.exit(3)"]\n');
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "A pipeline that fails");
    const io = capture(repo, cache);

    expect(await trainCommand.run(["--quiet"], io)).toBe(1);
    expect(io.stdout).toContain("# Pipeline failed");
    expect(io.stdout).toContain("boom in train");
    expect(io.stdout).not.toContain("### Metrics");
    expect(io.stdout).not.toContain("| Path |");
  }, 120_000);

  it("says where it looked for the DVC project and which key points elsewhere", async () => {
    const repo = path.join(tempDir(), "project");
    makeExampleOrigin({ dir: repo });
    const io = capture(repo, cache);
    writeConfig(repo, "pipeline:\n  workdir: pipeline\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Point at a folder without dvc.yaml");
    const short = git(repo, "rev-parse", "--short=7", "HEAD");

    expect(await trainCommand.run([], io)).toBe(2);
    expect(io.stderr).toBe(
      `mlops-bot train: no DVC project: looked for pipeline/dvc.yaml in commit ${short} of ${repo} and found none (pipeline.workdir is "pipeline" in .github/mlops-bot.yml). This commit has ml/dvc.yaml: set pipeline.workdir in .github/mlops-bot.yml to "ml".\n`,
    );
    expect(io.stderr).not.toContain("could not start");

    git(repo, "rm", "-q", "-r", "ml", ".github");
    git(repo, "commit", "-q", "-m", "No project at all");
    const io2 = capture(repo, cache);
    expect(await trainCommand.run([], io2)).toBe(2);
    expect(io2.stderr).toContain('looked for ml/dvc.yaml in commit');
    expect(io2.stderr).toContain('(pipeline.workdir is "ml" (the default: there is no .github/mlops-bot.yml)');
    expect(io2.stderr).toContain("Set pipeline.workdir in .github/mlops-bot.yml to the folder that holds your dvc.yaml");
  });

  it("explains usage errors with exit code 2, naming the argument", async () => {
    const notRepo = tempDir();
    const io = capture(notRepo, cache);
    expect(await trainCommand.run([], io)).toBe(2);
    expect(io.stderr).toBe(`mlops-bot train: ${notRepo} is not inside a git repository. Run it in the repository of your ML project.\n`);

    const repo = path.join(tempDir(), "project");
    makeExampleOrigin({ dir: repo });
    const cases: Array<[string[], string]> = [
      [["--base", "nope"], `mlops-bot train: --base "nope" is not a branch, tag or commit of the repository in ${repo}.`],
      [["--head", "v9"], `mlops-bot train: --head "v9" is not a branch, tag or commit of the repository in ${repo}.`],
      [["--base"], "mlops-bot train: --base needs a branch, tag or commit, got nothing\n\nUsage: mlops-bot train "],
      [["--json=yes"], 'mlops-bot train: --json takes no value (got "yes")'],
      [["--frobnicate"], 'mlops-bot train: unknown option "--frobnicate"\n\nUsage: mlops-bot train [--base REF]'],
      [["train.n_estimators=lots", "stray"], 'overrides are key=value; got "stray"'],
      [["train.n_estimators=lots"], "train.n_estimators is an integer in ml/params.yaml"],
      [["train.learning_rate=0.05", "train.learning_rate=0.06"], "train.learning_rate is given twice"],
    ];
    for (const [args, message] of cases) {
      const each = capture(repo, cache);
      expect(await trainCommand.run(args, each), args.join(" ")).toBe(2);
      expect(each.stderr, args.join(" ")).toContain(message);
      expect(each.stdout).toBe("");
    }
    // The same check as /train's: a params file that is not there.
    writeConfig(repo, "pipeline:\n  params: [params.yaml, missing.yaml]\n");
    const io6 = capture(repo, cache);
    expect(await trainCommand.run(["train.learning_rate=0.05"], io6)).toBe(2);
    expect(io6.stderr).toMatch(/ml\/missing.yaml does not exist at [0-9a-f]{7}, so overrides cannot be checked/);
    // A broken params file, and one over the params cap (never read), are refused as /train refuses them.
    writeFileSync(path.join(repo, "ml/broken.yaml"), "a: *oops\n");
    writeFileSync(path.join(repo, "ml/huge.yaml"), `${"#".repeat(1 << 20)}\na: 1\n`);
    git(repo, "add", "ml/broken.yaml", "ml/huge.yaml");
    git(repo, "commit", "-q", "-m", "Hostile params files");
    const sha = git(repo, "rev-parse", "--short=7", "HEAD").trim();
    writeConfig(repo, "pipeline:\n  params: [params.yaml, broken.yaml]\n");
    const io7 = capture(repo, cache);
    expect(await trainCommand.run(["train.learning_rate=0.05"], io7)).toBe(2);
    expect(io7.stderr).toContain("ml/broken.yaml cannot be read, so nothing was run:\n  - ml/broken.yaml:1:4: the alias *oops names no anchor &oops above it.");
    writeConfig(repo, "pipeline:\n  params: [params.yaml, huge.yaml]\n");
    const io8 = capture(repo, cache);
    expect(await trainCommand.run(["train.learning_rate=0.05"], io8)).toBe(2);
    expect(io8.stderr).toContain(`ml/huge.yaml is ${(1 << 20) + 6} bytes at ${sha}, over the 1048576-byte limit for params files, so overrides cannot be checked. Nothing was run.`);
  });

  it("prints its usage on --help, to stdout, exit code 0", async () => {
    const io = capture(tempDir(), cache);
    expect(await trainCommand.run(["--help"], io)).toBe(0);
    expect(io.stdout).toMatch(/^Usage: mlops-bot train \[--base REF\] \[--head REF\] \[--json\]/);
    expect(io.stderr).toBe("");
  });
});
