/**
 * The CLI as a process: exit codes as a shell sees them, Ctrl-C, and `npm run cli` typed in
 * another folder. From the sources (tsx); .ci/run runs the installed package the same way
 * (scripts/test-package.sh).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { JOB_PATH, ROOT } from "../helpers/example-repo.js";
import { commitFiles, initRepo } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/temp-dir.js";

const exec = promisify(execFile);
const TSX = new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;

async function mlopsBot(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return exec(process.execPath, ["--import", TSX, path.join(ROOT, "src/cli/main.ts"), ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout, err: stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );
}

describe("mlops-bot as a process", () => {
  it("exits 0 with help and the version, 2 with usage errors on stderr", async () => {
    const dir = tempDir();
    expect(await mlopsBot(dir, "--version")).toMatchObject({ code: 0, out: expect.stringMatching(/^mlops-bot \d+\.\d+\.\d+\n$/), err: "" });
    expect(await mlopsBot(dir, "help", "diff")).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: mlops-bot diff /), err: "" });
    expect(await mlopsBot(dir)).toMatchObject({ code: 2, out: "", err: expect.stringMatching(/^Usage: mlops-bot <command>/) });
    expect(await mlopsBot(dir, "diff", "--head", "x", "--worktree")).toMatchObject({ code: 2, out: "", err: expect.stringContaining("choose one of --head REF and --worktree") });
    expect(await mlopsBot(dir, "diff")).toMatchObject({ code: 2, err: `mlops-bot diff: ${dir} is not inside a git repository. Run it in the repository of your ML project.\n` });
  }, 60_000);

  it("stops the pipeline on Ctrl-C, removes its worktree and exits 130", async () => {
    const repo = initRepo(path.join(tempDir(), "project"));
    commitFiles(repo, {
      ".github/mlops-bot.yml": 'pipeline:\n  workdir: job\n  train: [python, -c, "import os, time; print(\'pid\', os.getpid(), flush=True); time.sleep(600)"]\n',
      "job/params.yaml": "seed: 1\n",
    });
    const cache = path.join(tempDir(), "cache");
    const child = spawn(process.execPath, ["--import", TSX, path.join(ROOT, "src/cli/main.ts"), "train", "--base", "main"], {
      cwd: repo,
      env: { ...process.env, PATH: JOB_PATH, XDG_CACHE_HOME: cache },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    let out = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // A failed expectation must not leave the CLI and its pipeline running.
    onTestFinished(() => void (child.exitCode === null && child.kill("SIGINT")));
    await expect.poll(() => /pid (\d+)/.exec(err)?.[1], { timeout: 60_000 }).toBeDefined();
    const pipelinePid = Number(/pid (\d+)/.exec(err)![1]);
    const worktrees = path.join(cache, "mlops-bot/sources/worktrees");
    expect(readdirSync(worktrees)).toHaveLength(1);

    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(err).toContain("mlops-bot train: interrupted; the pipeline was stopped and its worktree removed.");
    expect(out).toBe(""); // no report, no empty metrics table
    expect(existsSync(worktrees) ? readdirSync(worktrees) : []).toEqual([]);
    expect(() => process.kill(pipelinePid, 0)).toThrow(); // the pipeline's process is gone
  }, 120_000);

  it("`npm run cli` typed in another folder works on that folder's repository, not the checkout", async () => {
    const repo = initRepo(path.join(tempDir(), "elsewhere"));
    const dvcYaml = "stages:\n  train:\n    cmd: python train.py\n    params: [train.lr]\n";
    commitFiles(repo, { "ml/.dvc/config": "", "ml/dvc.yaml": dvcYaml, "ml/params.yaml": "train:\n  lr: 0.1\n" });
    commitFiles(repo, { "ml/params.yaml": "train:\n  lr: 0.3\n" });
    const { stdout } = await exec("npm", ["--prefix", ROOT, "run", "--silent", "cli", "--", "diff", "--base", "HEAD~1", "--json"], { cwd: repo, env: { ...process.env, NO_COLOR: "1" } });
    const json = JSON.parse(stdout) as { params: Record<string, Record<string, unknown>> };
    expect(json.params).toEqual({ "ml/params.yaml": { "train.lr": { old: 0.1, new: 0.3, diff: 0.2 } } });
  }, 60_000);
});
