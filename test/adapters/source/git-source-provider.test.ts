import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GitSourceProvider } from "../../../src/adapters/source/git-source-provider.js";
import { StorageError } from "../../../src/core/errors.js";
import { commitFiles, git, initRepo } from "../../helpers/git-repo.js";
import { tempDir } from "../../helpers/temp-dir.js";

function setup() {
  const dir = tempDir();
  const origin = initRepo(path.join(dir, "origin", "octo", "ml"));
  const base = commitFiles(origin, { "ml/params.yaml": "lr: 0.1\n", "ml/metrics.json": '{"accuracy": 0.9}' }, "base");
  git(origin, "checkout", "-q", "-b", "feature");
  const head = commitFiles(origin, { "ml/params.yaml": "lr: 0.2\n" }, "head");
  git(origin, "checkout", "-q", "main");
  git(origin, "branch", "-q", "-D", "feature");
  git(origin, "update-ref", "refs/pull/1/head", head); // like GitHub: the PR head is reachable only through its pull ref
  const provider = new GitSourceProvider({ root: path.join(dir, "sources"), cloneUrl: path.join(dir, "origin", "{owner}", "{repo}") });
  return { provider, base, head, dir };
}

describe("GitSourceProvider", () => {
  it("checks out the exact head commit in its own worktree and reads the base's files", async () => {
    const { provider, base, head } = setup();
    const source = await provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: head, alsoFetch: [base] });
    expect(readFileSync(path.join(source.dir, "ml/params.yaml"), "utf8")).toBe("lr: 0.2\n");
    expect(git(source.dir, "rev-parse", "HEAD")).toBe(head);
    expect(await source.readFileAt(base, "ml/metrics.json")).toBe('{"accuracy": 0.9}');
    expect(await source.readFileAt(base, "ml/missing.json")).toBeUndefined();
    await source.release();
    expect(existsSync(source.dir)).toBe(false);
    await source.release();
  });

  it("reads the trees and files of base and head from the mirror, without a worktree", async () => {
    const { provider, base, head, dir } = setup();
    const [b, h] = await provider.readCommits({ repo: { owner: "octo", name: "ml" }, shas: [base, head] });
    expect(b!.sha).toBe(base);
    expect(b!.paths).toEqual(["ml/metrics.json", "ml/params.yaml"]);
    expect(await b!.read(["ml/params.yaml", "ml/missing.yaml"])).toEqual(new Map([["ml/params.yaml", "lr: 0.1\n"]]));
    expect(await h!.read(["ml/params.yaml"])).toEqual(new Map([["ml/params.yaml", "lr: 0.2\n"]]));
    expect(existsSync(path.join(dir, "sources", "worktrees"))).toBe(false);
    await expect(provider.readCommits({ repo: { owner: "octo", name: "ml" }, shas: ["HEAD~1"] })).rejects.toThrow('"HEAD~1" is not a commit sha');
  });

  it("fetches from the repository's own URL (as the code host gives it) when no MLOPS_CLONE_URL template is set, and says when there is none", async () => {
    const { head, dir } = setup();
    const provider = new GitSourceProvider({ root: path.join(dir, "own-url") });
    const [h] = await provider.readCommits({ repo: { owner: "octo", name: "ml", cloneUrl: path.join(dir, "origin", "octo", "ml") }, shas: [head] });
    expect(await h!.read(["ml/params.yaml"])).toEqual(new Map([["ml/params.yaml", "lr: 0.2\n"]]));
    await expect(provider.readCommits({ repo: { owner: "octo", name: "other" }, shas: [head] })).rejects.toThrow(
      "no git URL for octo/other: the code host gave none and MLOPS_CLONE_URL is not set",
    );
    // The operator's template wins over the repository's URL (a mirror).
    const mirrored = setup();
    const [m] = await mirrored.provider.readCommits({ repo: { owner: "octo", name: "ml", cloneUrl: "https://github.invalid/octo/ml.git" }, shas: [mirrored.head] });
    expect(m!.sha).toBe(mirrored.head);
  });

  it("gives two jobs on one commit two separate worktrees, fetching once", async () => {
    const { provider, head } = setup();
    const [a, b] = await Promise.all([
      provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: head }),
      provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: head }),
    ]);
    expect(a.dir).not.toBe(b.dir);
    await Promise.all([a.release(), b.release()]);
  });

  it("refuses something that is not a sha, and a commit the remote does not have", async () => {
    const { provider } = setup();
    await expect(provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: "main; rm -rf /" })).rejects.toThrow('"main; rm -rf /" is not a commit sha');
    await expect(provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: "0".repeat(40) })).rejects.toBeInstanceOf(StorageError);
  });

  it("sends the token only as a header of the fetch and never shows it in errors", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.authorization ?? ""));
      res.writeHead(403).end("forbidden");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const dir = tempDir();
    const provider = new GitSourceProvider({ root: dir, cloneUrl: `http://127.0.0.1:${port}/{owner}/{repo}.git` });
    const token = "ghs_super_secret_token_value";
    let message = "";
    try {
      await provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: "a".repeat(40), token: () => Promise.resolve(token) });
    } catch (e) {
      message = (e as Error).message;
    } finally {
      server.close();
    }
    expect(seen.some((h) => h === `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`)).toBe(true);
    expect(message).toMatch(/^git fetch of aaaaaaa from http:\/\/127\.0\.0\.1:\d+\/octo\/ml\.git failed/);
    expect(message).not.toContain(token);
    const config = readFileSync(path.join(dir, "repos/octo/ml.git/config"), "utf8");
    expect(config).not.toContain("extraHeader");
    expect(config).not.toContain(Buffer.from(`x-access-token:${token}`).toString("base64"));
  });

  it("asks the remote for the default branch's head with the token as a header only, and never shows it in errors", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${String(req.url)} ${String(req.headers.authorization ?? "")}`);
      res.writeHead(403).end("forbidden");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const dir = tempDir();
    const provider = new GitSourceProvider({ root: dir, cloneUrl: `http://127.0.0.1:${port}/{owner}/{repo}.git` });
    const token = "ghs_another_secret_token_value";
    const read = provider.readDefaultBranchFile({ repo: { owner: "octo", name: "ml" }, path: ".github/mlops-bot.yml", maxBytes: 1024, branch: "main", token: () => Promise.resolve(token) });
    const message = await read.then(
      () => "",
      (e: Error) => e.message,
    );
    server.close();
    expect(seen.some((s) => s.startsWith("/octo/ml.git/info/refs") && s.endsWith(`Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`))).toBe(true);
    expect(message).toMatch(/^could not learn the default branch's head of octo\/ml from http:\/\/127\.0\.0\.1:\d+\/octo\/ml\.git: /);
    expect(message).not.toContain(token);
    expect(readFileSync(path.join(dir, "repos/octo/ml.git/config"), "utf8")).not.toContain("extraHeader");
  });

  it("never runs a hook: not one planted in the mirror, not one a job wrote into its checkout", async () => {
    const { provider, base, head, dir } = setup();
    const first = await provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: head });
    const mirror = path.join(dir, "sources", "repos", "octo", "ml.git");
    expect(first.shared).toEqual([path.join(mirror, "objects")]);
    const ran = path.join(dir, "hook-ran");
    const hook = `#!/bin/sh\ntouch ${ran}\n`;
    for (const name of ["post-checkout", "reference-transaction", "pre-auto-gc", "post-index-change"]) {
      mkdirSync(path.join(mirror, "hooks"), { recursive: true });
      writeFileSync(path.join(mirror, "hooks", name), hook, { mode: 0o755 });
      mkdirSync(path.join(first.dir, ".git", "hooks"), { recursive: true });
      writeFileSync(path.join(first.dir, ".git", "hooks", name), hook, { mode: 0o755 });
    }
    // A job may also rewrite its checkout's config: the bot never runs git there again.
    writeFileSync(path.join(first.dir, ".git", "config"), `[core]\n\tfsmonitor = touch ${ran}\n\thooksPath = ${path.join(mirror, "hooks")}\n`);
    await first.release();
    const second = await provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: base, alsoFetch: [head] });
    expect(await second.readFileAt(head, "ml/params.yaml")).toBe("lr: 0.2\n");
    await provider.readCommits({ repo: { owner: "octo", name: "ml" }, shas: [base, head] });
    expect(git(second.dir, "rev-parse", "HEAD")).toBe(base);
    await second.release();
    expect(existsSync(ran)).toBe(false);
  });

  it("keeps no git link from a checkout into the mirror but its read-only objects", async () => {
    const { provider, head, dir } = setup();
    const source = await provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: head });
    expect(readFileSync(path.join(source.dir, ".git", "objects", "info", "alternates"), "utf8").trim()).toBe(path.join(dir, "sources", "repos", "octo", "ml.git", "objects"));
    expect(existsSync(path.join(dir, "sources", "repos", "octo", "ml.git", "worktrees"))).toBe(false);
    expect(git(source.dir, "status", "--porcelain")).toBe("");
    await source.release();
  });

  it("sweeps the checkouts of a process that died, and leaves its own", async () => {
    const { provider, head } = setup();
    const mine = await provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: head });
    const dead = await provider.checkout({ repo: { owner: "octo", name: "ml" }, sha: head });
    const owner = path.join(path.dirname(dead.dir), "owner.json");
    writeFileSync(owner, JSON.stringify({ ...JSON.parse(readFileSync(owner, "utf8")), start: "0" }));
    chmodSync(path.join(dead.dir, "ml"), 0o000); // what a job may leave behind
    expect(await provider.sweep()).toEqual([path.dirname(dead.dir)]);
    expect(existsSync(dead.dir)).toBe(false);
    expect(existsSync(mine.dir)).toBe(true);
    await mine.release();
  });
});
