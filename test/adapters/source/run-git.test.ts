import { execFileSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { remoteBranchHead } from "../../../src/adapters/source/git-default-branch.js";
import { runGit } from "../../../src/adapters/source/run-git.js";
import { commitFiles, git, initRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("runGit", () => {
  it("runs no hook and no fsmonitor a repository configures, where plain git does", async () => {
    const dir = tempDir();
    const repo = initRepo(path.join(dir, "repo"));
    const first = commitFiles(repo, { "a.txt": "1\n" });
    commitFiles(repo, { "a.txt": "2\n" });
    const marker = path.join(dir, "ran");
    writeFileSync(path.join(repo, ".git", "hooks", "post-checkout"), `#!/bin/sh\necho hook >> ${marker}\n`, { mode: 0o755 });
    git(repo, "config", "core.fsmonitor", `echo fsmonitor >> ${marker}; true`);

    await runGit(repo, ["checkout", "-q", "--detach", first]);
    await runGit(repo, ["status", "--porcelain"]);
    expect(existsSync(marker)).toBe(false);

    // The same calls without the settings run both: the test would see a regression.
    execFileSync("git", ["checkout", "-q", "main"], { cwd: repo });
    execFileSync("git", ["status", "--porcelain"], { cwd: repo });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });

  it("gives git none of the bot's environment", async () => {
    const dir = tempDir();
    const repo = initRepo(path.join(dir, "repo"));
    commitFiles(repo, { "a.txt": "1\n" });
    process.env.MLOPS_TEST_GIT_SECRET = "s3cr3t-value";
    try {
      git(repo, "config", "alias.showenv", "!env");
      const out = (await runGit(repo, ["showenv"])).toString("utf8");
      expect(out).not.toContain("s3cr3t-value");
      expect(out).toContain("GIT_TERMINAL_PROMPT=0");
    } finally {
      delete process.env.MLOPS_TEST_GIT_SECRET;
    }
  });

  it("stops a git that waits on a remote which never answers, saying so, and the default branch read fails instead of hanging", async () => {
    // A server that takes the connection and never sends a byte: a hung GitHub git endpoint.
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/o/r.git`;
    const mirror = tempDir();
    try {
      await runGit(mirror, ["init", "-q", "--bare"]);
      await expect(runGit(mirror, ["ls-remote", url], { timeoutMs: 1_000 })).rejects.toThrow("git ls-remote did not finish within 1 s (the remote did not answer); it was stopped");
      await expect(remoteBranchHead({ mirror, url, branch: "main", env: {}, timeoutMs: 1_000 })).rejects.toThrow(/did not finish within 1 s/);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
