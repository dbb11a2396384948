import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffCommand } from "../../src/cli/commands/diff.js";
import { runCli } from "../../src/cli/run-cli.js";
import { cliCommands } from "../../src/cli/commands/index.js";
import { FIXTURES, fixtureExpected, parsePyJson, withoutFloatNoise } from "../core/dvc/fixture-files.js";

let repo: string;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_DATE: "2024-01-01T00:00:00Z", GIT_COMMITTER_DATE: "2024-01-01T00:00:00Z" } });
}

/** Replaces ml/ (but its .dvc/cache) with a fixture version. */
function checkoutFixture(version: string): void {
  for (const entry of readdirSync(path.join(repo, "ml"))) if (entry !== ".dvc") rmSync(path.join(repo, "ml", entry), { recursive: true });
  cpSync(path.join(FIXTURES, "versions", version), path.join(repo, "ml"), { recursive: true });
  cpSync(path.join(repo, "ml/_dvc"), path.join(repo, "ml/.dvc"), { recursive: true });
  rmSync(path.join(repo, "ml/_dvc"), { recursive: true });
}

async function diff(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await diffCommand.run(args, { cwd: path.join(repo, "ml"), env: {}, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), "mlops-bot-diff-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  mkdirSync(path.join(repo, "ml"));
  writeFileSync(path.join(repo, ".gitignore"), "ml/.dvc/cache\n");
  for (const v of ["v0", "v1", "v2", "v3", "v4", "v5", "v6"]) {
    checkoutFixture(v);
    git("add", "-A");
    git("commit", "-q", "-m", v);
    git("tag", v);
  }
  cpSync(path.join(FIXTURES, "cache"), path.join(repo, "ml/.dvc/cache"), { recursive: true });
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("mlops-bot diff", () => {
  it("is registered", () => {
    expect(cliCommands.map((c) => c.name)).toContain("diff");
  });

  it.each([
    ["v0", "v1"],
    ["v1", "v2"],
    ["v0", "v3"],
    ["v4", "v5"],
    ["v4", "v6"],
  ])("--json %s..%s matches dvc diff, params diff and metrics diff", async (a, b) => {
    const { code, out, err } = await diff("--base", a, "--head", b, "--json");
    expect(err).toBe("");
    expect(code).toBe(0);
    const json = parsePyJson(out) as Record<string, unknown>;
    expect(json.dvc).toEqual({ ml: fixtureExpected(`diff-${a}-${b}.json`) });
    expect(json.problems).toEqual([]);
    if (b === "v1" || b === "v5") {
      const inMl = (name: string) => Object.fromEntries(Object.entries(withoutFloatNoise(fixtureExpected(name)) as object).map(([file, diff]) => [`ml/${file}`, diff]));
      expect(json.params).toEqual(inMl(`params-diff-${a}-${b}.json`));
      expect(json.metrics).toEqual(inMl(`metrics-diff-${a}-${b}.json`));
    }
  });

  it("prints a markdown report", async () => {
    const { code, out } = await diff("--base=v0", "--head=v1");
    expect(code).toBe(0);
    expect(out).toContain("## Data: v0 → v1\n\n**3 datasets changed: +4 files, -4 files, 3 modified, 2 renamed, +4 B**");
    expect(out).toContain("| ml/params.yaml | train.layers | [8, 4] | [8, 4, 2] |");
    expect(out).toContain("| ml/metrics.json | accuracy | 0.88 | 0.875 | -0.005 |");
  });

  it("defaults to the merge-base with main and HEAD", async () => {
    git("checkout", "-q", "-b", "feature", "v2");
    git("branch", "-f", "main", "v1");
    try {
      const { out } = await diff("--json");
      expect(JSON.parse(out).dvc).toEqual({ ml: fixtureExpected("diff-v1-v2.json") });
      expect(JSON.parse(out).base).toBe(git("rev-parse", "v1").trim().slice(0, 12));
    } finally {
      git("checkout", "-q", "main");
      git("reset", "-q", "--hard", "v3");
    }
  });

  it("reads head from the working tree with --worktree", async () => {
    git("checkout", "-q", "v0");
    checkoutFixture("v1");
    try {
      const { out } = await diff("--base", "v0", "--worktree", "--json");
      expect(JSON.parse(out).dvc).toEqual({ ml: fixtureExpected("diff-v0-v1.json") });
      expect(JSON.parse(out).head).toBe("workspace");
    } finally {
      git("checkout", "-q", "-f", "main");
      git("clean", "-q", "-fd", "ml");
    }
  });

  it("falls back to the default local remote when the cache misses", async () => {
    const remote = path.join(repo, "remote");
    const moved = "files/md5/ad/af9bbbeefad87758eea24642c4e31b.dir";
    mkdirSync(path.dirname(path.join(remote, moved)), { recursive: true });
    renameSync(path.join(repo, "ml/.dvc/cache", moved), path.join(remote, moved));
    writeFileSync(path.join(repo, "ml/.dvc/config.local"), "[core]\n    remote = local\n['remote \"local\"']\n    url = ../../remote\n");
    try {
      const { out } = await diff("--base", "v0", "--head", "v1", "--json");
      expect(JSON.parse(out).data.notInCache).toEqual([]);
      expect(JSON.parse(out).dvc).toEqual({ ml: fixtureExpected("diff-v0-v1.json") });
      rmSync(path.join(repo, "ml/.dvc/config.local"));
      const missing = JSON.parse((await diff("--base", "v0", "--head", "v1", "--json")).out);
      expect(missing.data.notInCache.map((m: { path: string; side: string }) => `${m.path}@${m.side}`)).toEqual(["data/prepared@head", "data/raw@head"]);
    } finally {
      renameSync(path.join(remote, moved), path.join(repo, "ml/.dvc/cache", moved));
      rmSync(path.join(repo, "ml/.dvc/config.local"), { force: true });
    }
  });

  it("explains bad refs and bad options", async () => {
    const bad = await diff("--base", "no-such-ref", "--head", "v1");
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(`mlops-bot diff: --base "no-such-ref" is not a branch, tag or commit of the repository in ${repo}. Pass one that exists (git branch -a, git tag).\n`);
    const badHead = await diff("--head", "v9");
    expect(badHead.code).toBe(2);
    expect(badHead.err).toContain('--head "v9" is not a branch, tag or commit');
    const both = await diff("--head", "v1", "--worktree");
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/^mlops-bot diff: choose one of --head REF and --worktree: both say what the new version is\n\nUsage: mlops-bot diff /);
    expect(both.out).toBe("");
    const noValue = await diff("--base");
    expect(noValue.err).toContain("mlops-bot diff: --base needs a branch, tag or commit, got nothing");
    const usage = await diff("--frobnicate");
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('unknown option "--frobnicate"');
    let help = "";
    expect(await runCli({ argv: ["diff", "--help"], commands: cliCommands, io: { cwd: repo, env: {}, out: (t) => (help += t), err: () => {} } })).toBe(0);
    expect(help).toContain("Usage: mlops-bot diff [--base REF]");
  });
});
