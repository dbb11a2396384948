import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GitSourceProvider } from "../../src/adapters/source/git-source-provider.js";
import { loadRepoConfig, type RepoConfigSource } from "../../src/config/load-repo-config.js";
import { StorageError } from "../../src/core/errors.js";
import { DEFAULT_PARSE_LIMITS } from "../../src/core/limits/parse-limits.js";
import { formatProblem } from "../../src/core/problem.js";
import { commitFiles, git, initRepo } from "../helpers/git-repo.js";
import { tempDir } from "../helpers/temp-dir.js";

const CONFIG = ".github/mlops-bot.yml";

// The repo config read from the bot's own git mirror (no contents API): a real origin repository,
// the real GitSourceProvider; the "host" is only the repository's name, URL and a token.
function setup() {
  const dir = tempDir();
  const origin = initRepo(path.join(dir, "origin", "octo", "ml"));
  commitFiles(origin, { "ml/params.yaml": "lr: 0.1\n" }, "base");
  const sources = new GitSourceProvider({ root: path.join(dir, "sources"), cloneUrl: path.join(dir, "origin", "{owner}", "{repo}") });
  const host = { owner: "octo", repo: "ml", cloneUrl: () => "https://github.invalid/octo/ml.git", gitToken: () => Promise.resolve("ghs_secret") };
  const source: RepoConfigSource = { host, sources, defaultBranch: "main" };
  return { dir, origin, sources, host, source };
}

async function problems(source: RepoConfigSource): Promise<string[]> {
  const loaded = await loadRepoConfig(source);
  if (loaded.ok) throw new Error("expected problems");
  return loaded.error.map(formatProblem);
}

describe("loadRepoConfig from the bot's mirror", () => {
  it("uses every default when the default branch has no config, and sees each new commit of it at the next read", async () => {
    const { origin, source } = setup();
    const none = await loadRepoConfig(source);
    expect(none.ok && none.value.forks).toBe("approve-per-sha");
    commitFiles(origin, { [CONFIG]: "forks: deny\n" });
    const first = await loadRepoConfig(source);
    expect(first.ok && first.value.forks).toBe("deny");
    commitFiles(origin, { [CONFIG]: "forks: approve-per-sha\npermissions: { train: maintain }\n" });
    const second = await loadRepoConfig(source);
    expect(second.ok && [second.value.forks, second.value.permissions.train]).toEqual(["approve-per-sha", "maintain"]);
    // Without the branch's name (a job, no webhook): the remote's HEAD.
    const byHead = await loadRepoConfig({ ...source, defaultBranch: undefined });
    expect(byHead.ok && byHead.value.permissions.train).toBe("maintain");
  });

  it("never reads a pull request's config, even when the mirror has its head", async () => {
    const { origin, sources, source } = setup();
    commitFiles(origin, { [CONFIG]: "permissions: { train: admin }\n" });
    git(origin, "checkout", "-q", "-b", "feature");
    const head = commitFiles(origin, { [CONFIG]: "permissions: { train: read }\nforks: approve-per-sha\n" }, "widen permissions");
    git(origin, "checkout", "-q", "main");
    git(origin, "branch", "-q", "-D", "feature");
    git(origin, "update-ref", "refs/pull/1/head", head);
    await sources.readCommits({ repo: { owner: "octo", name: "ml" }, shas: [head] });
    const loaded = await loadRepoConfig(source);
    expect(loaded.ok && loaded.value.permissions.train).toBe("admin");
  });

  it("reads a push's own head without asking the remote, and fetches it by sha when the mirror lacks it", async () => {
    const { dir, origin, source } = setup();
    const pushed = commitFiles(origin, { [CONFIG]: "train_on_push: true\n" });
    const fetched = await loadRepoConfig({ ...source, headSha: pushed });
    expect(fetched.ok && fetched.value.train_on_push).toBe(true);
    commitFiles(origin, { [CONFIG]: "train_on_push: false\n" });
    // The origin gone: a read at a sha the mirror has needs no remote at all.
    renameSync(path.join(dir, "origin"), path.join(dir, "gone"));
    const offline = await loadRepoConfig({ ...source, headSha: pushed });
    expect(offline.ok && offline.value.train_on_push).toBe(true);
    await expect(loadRepoConfig(source)).rejects.toBeInstanceOf(StorageError);
  });

  it("says when the default branch is not on the remote, and refuses a branch name that is not one", async () => {
    const { source } = setup();
    await expect(loadRepoConfig({ ...source, defaultBranch: "trunk" })).rejects.toThrow("the default branch (trunk) is not on the remote");
    for (const bad of ["-uhttps://evil", "main:refs/heads/x", "a..b", "a b"]) {
      await expect(loadRepoConfig({ ...source, defaultBranch: bad })).rejects.toThrow(`"${bad}" is not a branch name`);
    }
  });

  it("never follows a link: the config as a link to /etc/passwd or to a file of the repository, or .github as a link", async () => {
    const { origin, source } = setup();
    commitFiles(origin, { "ml/config.yml": "forks: deny\n" });
    for (const target of ["/etc/passwd", "../ml/config.yml"]) {
      rmSync(path.join(origin, CONFIG), { force: true, recursive: true });
      mkdirSync(path.join(origin, ".github"), { recursive: true });
      symlinkSync(target, path.join(origin, CONFIG));
      commitFiles(origin, {});
      const [problem] = await problems(source);
      expect(problem).toMatch(/^\.github\/mlops-bot\.yml: is a symbolic link on the default branch \([0-9a-f]{7}\), not a regular file, so it was not read \(the bot never follows links\): commit the config itself as a regular file at this path\.$/);
    }
    rmSync(path.join(origin, ".github"), { recursive: true });
    commitFiles(origin, { "conf/mlops-bot.yml": "forks: deny\n" });
    symlinkSync("conf", path.join(origin, ".github"));
    commitFiles(origin, {});
    expect(await problems(source)).toEqual([expect.stringMatching(/: was not read: `\.github` is a symbolic link on the default branch \([0-9a-f]{7}\), not a folder \(the bot never follows links\): make `\.github` a folder holding the config file\.$/)]);
  });

  it("refuses a submodule and a folder at the config's path", async () => {
    const { origin, source } = setup();
    const other = commitFiles(origin, { "README.md": "x\n" });
    git(origin, "update-index", "--add", "--cacheinfo", `160000,${other},${CONFIG}`);
    git(origin, "commit", "-q", "-m", "submodule");
    expect((await problems(source))[0]).toMatch(/: is a submodule on the default branch .*, not a regular file, so it was not read: commit the config itself/);
    git(origin, "rm", "-q", "--cached", CONFIG);
    commitFiles(origin, { [`${CONFIG}/inner.yml`]: "forks: deny\n" });
    expect((await problems(source))[0]).toMatch(/: is a folder on the default branch .*, not a regular file/);
  });

  it("does not read a config over the byte cap, refuses bytes that are not UTF-8, and parses under the limits (an alias bomb)", async () => {
    const { origin, source } = setup();
    commitFiles(origin, { [CONFIG]: `# ${"x".repeat(300 * 1024)}\nforks: deny\n` });
    expect(await problems(source)).toEqual([".github/mlops-bot.yml: is larger (307215 bytes) than the 256 KiB the bot reads of a bot config, so it was not read."]);
    commitFiles(origin, { [CONFIG]: "forks: deny\n" });
    const small = await loadRepoConfig(source, { ...DEFAULT_PARSE_LIMITS, maxBytes: { ...DEFAULT_PARSE_LIMITS.maxBytes, "repo-config": 4 } });
    expect(small.ok ? "read" : formatProblem(small.error[0]!)).toMatch(/is larger \(12 bytes\) than the 4 bytes/);
    writeFileSync(path.join(origin, CONFIG), Buffer.from([...Buffer.from("forks: "), 0xff, 0xfe, 0x0a]));
    commitFiles(origin, {});
    expect((await problems(source))[0]).toMatch(/: is not UTF-8 text on the default branch \([0-9a-f]{7}\), so it was not read: save it as UTF-8\.$/);
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)].join("\n");
    commitFiles(origin, { [CONFIG]: bomb });
    expect((await problems(source))[0]).toMatch(/holds more than 1000000 values once its aliases are expanded/);
  });
});
