import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeBubblewrap } from "../../src/adapters/runners/sandbox/probe-bubblewrap.js";
import { JOB_PATH, ROOT } from "../helpers/example-repo.js";
import { git } from "../helpers/git-repo.js";
import { filesWithMarker } from "./attack-control.js";
import { attackerCommit, labConfig, leaked, makeLab, markedProcesses, type Lab } from "./attack-lab.js";
import { attemptResults, HOST_ATTEMPTS, JUDGED_ATTEMPTS } from "./attack-scripts.js";

const run = promisify(execFile);
// From the sources; tsx by its file, as the command runs in the repository's folder (not this checkout).
const TSX = new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;
const sandboxed = probeBubblewrap(process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined).ok;

// Reviewing an untrusted PR on your own machine: `mlops-bot train --sandbox` on its branch, with your secrets around.
describe.runIf(sandboxed || process.env.MLOPS_REQUIRE_DOCKER === "1")("an attacker's PR pipeline under `mlops-bot train --sandbox`", () => {
  let dir: string;
  let lab: Lab;
  let repo: string;
  let result: { code: number; stdout: string; stderr: string };
  let host: { left: number[]; written: string[]; stored: Record<string, Buffer> };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "mlops-bot-cli-attack-"));
    repo = path.join(dir, "repo");
    const dataDir = path.join(repo, ".mlops-bot");
    const made = makeLab({ dataDir, dir, dockerSocket: "/var/run/docker.sock" });
    // The CLI's mirror of a repository folder is local/<folder name>-<hash of its path> (train-locally.ts).
    const mirror = path.join(dataDir, "sources", "repos", "local", `repo-${createHash("sha256").update(repo).digest("hex").slice(0, 8)}.git`);
    lab = attackerCommit({ ...made, targets: { ...made.targets, mirror } }, process.pid);
    // The data folder (with another run's checkout in it) is already in the repository's folder: fetch into it.
    git(repo, "init", "-q", "-b", "unborn");
    git(repo, "fetch", "-q", lab.origin, `main:main`, `${lab.head}:refs/heads/attack`);
    git(repo, "checkout", "-q", "attack");
    mkdirSync(path.join(repo, ".github"));
    writeFileSync(path.join(repo, ".github", "mlops-bot.yml"), labConfig("local"));
    const env = { ...lab.botEnv, PATH: `${JOB_PATH}`, MLOPS_DATA_DIR: dataDir };
    result = await run(process.execPath, ["--import", TSX, path.join(ROOT, "src/cli/main.ts"), "train", "--sandbox", "--base", "main"], { cwd: repo, env, maxBuffer: 64 << 20 }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
    const stored: Record<string, Buffer> = {};
    const runs = path.join(dataDir, "artifacts", "runs");
    for (const runDir of readdirSync(runs)) {
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) walk(path.join(d, e.name));
          else stored[path.relative(runs, path.join(d, e.name))] = readFileSync(path.join(d, e.name));
        }
      };
      walk(path.join(runs, runDir));
    }
    host = { left: markedProcesses(lab.marker), written: filesWithMarker(lab.marker, [dataDir, lab.botDir, path.join(lab.targets.venv, "bin")]), stored };
  }, 300_000);

  afterAll(() => {
    for (const pid of markedProcesses(lab?.marker ?? "-")) process.kill(pid, "SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the pipeline in the sandbox and prints the report", () => {
    expect(result.stderr).toContain("(in the sandbox)");
    expect(result.stderr).toContain("attack done");
    expect(result.stdout).toContain("### Not collected");
    expect(result.code).toBe(0);
    expect([...attemptResults(result.stderr).keys()].sort()).toEqual([...JUDGED_ATTEMPTS, ...HOST_ATTEMPTS].sort());
  });

  it("fails every attempt to get out, leaves nothing running and writes nothing outside", () => {
    const results = attemptResults(result.stderr);
    expect(JUDGED_ATTEMPTS.filter((name) => results.get(name) !== "blocked")).toEqual([]);
    expect(host.left).toEqual([]);
    expect(host.written).toEqual([]);
  });

  it("prints and stores no planted secret of yours", () => {
    expect(leaked(lab, result.stdout)).toEqual([]);
    expect(leaked(lab, result.stderr)).toEqual([]);
    for (const [key, data] of Object.entries(host.stored)) expect(leaked(lab, data), key).toEqual([]);
    expect(result.stderr).toMatch(/^S3_PASSWORD=\*\*\*$/m);
  });
});
