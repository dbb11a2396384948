import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { StorageError } from "../../core/errors.js";
import { redact } from "../../core/redact.js";
import type { CommitFiles, PreparedSource, SourceProvider, SourceRepo } from "../../ports/source-provider.js";
import { gitReadFiles } from "./git-read-files.js";

const TOKEN_ENV = ["GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0", "GIT_TERMINAL_PROMPT"];

/**
 * Sources through git: one cached bare clone per repository (fetching only the commits a job
 * needs) and one worktree per job. The token reaches git only through the environment of the
 * fetch call (as an `http.extraHeader`), so it is never written to disk or put on a command line.
 */
export class GitSourceProvider implements SourceProvider {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly options: {
      /** Folder for the cached clones and the worktrees. */
      root: string;
      /** URL template with {owner} and {repo}, e.g. https://github.com/{owner}/{repo}.git, or a local path. */
      cloneUrl: string;
    },
  ) {}

  async archive(params: { repo: SourceRepo; sha: string; folder?: string; token?: () => Promise<string> }): Promise<NodeJS.ReadableStream> {
    const mirror = await this.ensureCommits(params.repo, [params.sha], params.token);
    const folder = (params.folder ?? ".").replace(/^\.\/?|\/+$/g, "");
    if (folder.split("/").includes("..")) throw new StorageError(`"${params.folder}" is not a folder inside the repository`);
    const treeish = folder ? `${params.sha}:${folder}` : params.sha;
    const git = spawn("git", ["archive", "--format=tar", treeish], { cwd: mirror, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    git.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    git.on("close", (code) => {
      if (code !== 0) git.stdout.destroy(new StorageError(`git archive of ${treeish} failed: ${stderr.trim()}`));
    });
    return git.stdout;
  }

  /** One `git ls-tree` per commit now, one `git cat-file --batch` per `read` later, in the mirror. */
  async readCommits(params: { repo: SourceRepo; shas: readonly string[]; token?: () => Promise<string> }): Promise<CommitFiles[]> {
    const mirror = await this.ensureCommits(params.repo, params.shas, params.token);
    return Promise.all(params.shas.map(async (sha) => ({ sha, ...(await gitReadFiles({ cwd: mirror, ref: sha })) })));
  }

  /** Makes sure the mirror has the commits (fetching the missing ones); returns the mirror's path. */
  private async ensureCommits(repo: SourceRepo, shas: readonly string[], token?: () => Promise<string>): Promise<string> {
    const mirror = path.join(this.options.root, "repos", repo.owner, `${repo.name}.git`);
    const url = this.options.cloneUrl.replaceAll("{owner}", repo.owner).replaceAll("{repo}", repo.name);
    for (const sha of shas) if (!/^[0-9a-f]{7,64}$/i.test(sha)) throw new StorageError(`"${sha}" is not a commit sha`);
    await this.exclusive(mirror, async () => {
      if (!existsSync(mirror)) {
        await mkdir(mirror, { recursive: true });
        await simpleGit(mirror).init(true);
      }
      const git = simpleGit(mirror);
      const missing: string[] = [];
      for (const sha of shas) if (!(await hasCommit(git, sha))) missing.push(sha);
      if (missing.length > 0) await this.fetch(mirror, url, missing, token);
      for (const sha of shas) if (!(await hasCommit(git, sha))) throw new StorageError(`commit ${sha} is not in ${repo.owner}/${repo.name}`);
    });
    return mirror;
  }

  async checkout(params: {
    repo: SourceRepo;
    sha: string;
    alsoFetch?: readonly string[];
    token?: () => Promise<string>;
  }): Promise<PreparedSource> {
    const wanted = [params.sha, ...(params.alsoFetch ?? []).filter((s) => /^[0-9a-f]{7,64}$/i.test(s))];
    const mirror = await this.ensureCommits(params.repo, wanted, params.token);
    const dir = path.join(this.options.root, "worktrees", `${params.sha.slice(0, 12)}-${randomUUID().slice(0, 8)}`);
    await this.exclusive(mirror, async () => {
      await mkdir(path.dirname(dir), { recursive: true });
      await simpleGit(mirror).raw(["worktree", "add", "--detach", "--force", dir, params.sha]);
    });

    let released = false;
    return {
      dir,
      sha: params.sha,
      readFileAt: async (sha, file) => {
        try {
          return await simpleGit(mirror).show([`${sha}:${file}`]);
        } catch {
          return undefined;
        }
      },
      release: async () => {
        if (released) return;
        released = true;
        await this.exclusive(mirror, async () => {
          await simpleGit(mirror)
            .raw(["worktree", "remove", "--force", dir])
            .catch(() => undefined);
          await rm(dir, { recursive: true, force: true });
          await simpleGit(mirror)
            .raw(["worktree", "prune"])
            .catch(() => undefined);
        });
      },
    };
  }

  private async fetch(mirror: string, url: string, shas: string[], token?: () => Promise<string>): Promise<void> {
    const secret = token ? await token() : undefined;
    // git gets a minimal environment: never the bot's own secrets, never an interactive prompt.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      GIT_TERMINAL_PROMPT: "0",
    };
    if (secret) {
      env.GIT_CONFIG_COUNT = "1";
      env.GIT_CONFIG_KEY_0 = "http.extraHeader";
      env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${Buffer.from(`x-access-token:${secret}`).toString("base64")}`;
    }
    // simple-git guards GIT_CONFIG_* because it can set any config; here we set exactly one, ourselves.
    const git = simpleGit({
      baseDir: mirror,
      allowEnvironment: TOKEN_ENV,
      unsafe: { allowUnsafeConfigEnvCount: true },
    } as Parameters<typeof simpleGit>[0]).env(env);
    try {
      await git.raw(["fetch", "--no-tags", "--quiet", url, ...shas]);
    } catch (e) {
      const message = redact((e as Error).message, secret ? [secret] : []);
      throw new StorageError(`git fetch of ${shas.map((s) => s.slice(0, 7)).join(", ")} from ${url} failed: ${message.trim()}`);
    }
  }

  /** One git operation per mirror at a time (worktree add/remove and fetch share its lock). */
  private exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.locks.set(key, next);
    return next;
  }
}

async function hasCommit(git: SimpleGit, sha: string): Promise<boolean> {
  try {
    await git.raw(["cat-file", "-e", `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}
