import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { StorageError } from "../../core/errors.js";
import { redact } from "../../core/redact.js";
import type { CommitFiles, DefaultBranchFile, DefaultBranchFileRequest, PreparedSource, SourceProvider, SourceRepo } from "../../ports/source-provider.js";
import { createRunFolder, removeRunFolder, sweepRunFolders } from "../process/run-folders.js";
import { readFileAtCommit, remoteBranchHead } from "./git-default-branch.js";
import { gitReadFiles } from "./git-read-files.js";
import { gitEnv, hardenedGitArgs, runGit } from "./run-git.js";

const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * Sources through git: one cached bare clone (the mirror) per repository, fetching only the
 * commits a job needs, and one checkout per job. A checkout is a repository of its own whose
 * objects come from the mirror's (`objects/info/alternates`): the job may change its checkout and
 * its `.git` as it likes, and the mirror stays read-only to it. The bot never runs git inside a
 * checkout after it is made (it is removed as files), and every git call runs without hooks
 * (`runGit`). The token reaches git only through the environment of the fetch call (as an
 * `http.extraHeader`), so it is never written to disk or put on a command line.
 */
export class GitSourceProvider implements SourceProvider {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly options: {
      /** Folder for the cached clones and the checkouts. */
      root: string;
      /**
       * URL template with {owner} and {repo} (a mirror, a local path) that overrides the
       * repository's own URL (`SourceRepo.cloneUrl`, as GitHub gives it); unset, that URL is used.
       */
      cloneUrl?: string | undefined;
    },
  ) {}

  /** Where the checkouts live, each in a run folder (for `sweep`). */
  get checkoutsRoot(): string {
    return path.join(this.options.root, "worktrees");
  }

  async archive(params: { repo: SourceRepo; sha: string; folder?: string; token?: () => Promise<string> }): Promise<NodeJS.ReadableStream> {
    const mirror = await this.ensureCommits(params.repo, [params.sha], params.token);
    const folder = (params.folder ?? ".").replace(/^\.\/?|\/+$/g, "");
    if (folder.split("/").includes("..")) throw new StorageError(`"${params.folder}" is not a folder inside the repository`);
    const treeish = folder ? `${params.sha}:${folder}` : params.sha;
    const git = spawn("git", [...hardenedGitArgs(), "archive", "--format=tar", treeish], { cwd: mirror, env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] });
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

  /**
   * The default branch's head comes from `git ls-remote` (nothing written into the mirror, no
   * ref to go stale: every call asks again), or from the event (`sha`); the commit is fetched only
   * when the mirror lacks it, then the file is read with `git ls-tree` and `git cat-file`.
   */
  async readDefaultBranchFile(params: DefaultBranchFileRequest): Promise<DefaultBranchFile> {
    const { repo, token } = params;
    const { mirror, url } = await this.initMirror(repo);
    let sha = params.sha;
    if (sha === undefined) {
      const secret = token ? await token() : undefined;
      try {
        sha = await remoteBranchHead({ mirror, url, branch: params.branch, env: authEnv(secret) });
      } catch (e) {
        const message = redact((e as Error).message, secret ? [secret] : []);
        throw new StorageError(`could not learn the default branch's head of ${repo.owner}/${repo.name} from ${url}: ${message.trim()}`);
      }
    }
    if (!SHA.test(sha)) throw new StorageError(`"${sha}" is not a commit sha`);
    const read = { sha, path: params.path, maxBytes: params.maxBytes };
    // Mostly the mirror has the commit already: read it without taking the mirror's lock.
    const fromMirror = await readFileAtCommit({ mirror, ...read }).catch(() => undefined);
    return fromMirror ?? readFileAtCommit({ mirror: await this.ensureCommits(repo, [sha], token), ...read });
  }

  /** The mirror's path and the URL it is fetched from; creates the (empty, bare) mirror once, under its lock. */
  private async initMirror(repo: SourceRepo): Promise<{ mirror: string; url: string }> {
    const mirror = path.join(this.options.root, "repos", repo.owner, `${repo.name}.git`);
    const url = this.options.cloneUrl?.replaceAll("{owner}", repo.owner).replaceAll("{repo}", repo.name) ?? repo.cloneUrl;
    if (url === undefined) throw new StorageError(`no git URL for ${repo.owner}/${repo.name}: the code host gave none and MLOPS_CLONE_URL is not set`);
    if (existsSync(path.join(mirror, "objects"))) return { mirror, url };
    await this.exclusive(mirror, async () => {
      if (existsSync(path.join(mirror, "objects"))) return;
      await mkdir(mirror, { recursive: true });
      await runGit(mirror, ["init", "-q", "--bare", "--template="]);
    });
    return { mirror, url };
  }

  /** Makes sure the mirror has the commits (fetching the missing ones); returns the mirror's path. */
  private async ensureCommits(repo: SourceRepo, shas: readonly string[], token?: () => Promise<string>): Promise<string> {
    for (const sha of shas) if (!SHA.test(sha)) throw new StorageError(`"${sha}" is not a commit sha`);
    const { mirror, url } = await this.initMirror(repo);
    await this.exclusive(mirror, async () => {
      const missing = await missingCommits(mirror, shas);
      if (missing.length > 0) await this.fetch(mirror, url, missing, token);
      const absent = missing.length > 0 ? await missingCommits(mirror, missing) : [];
      if (absent.length > 0) throw new StorageError(`commit ${absent[0]} is not in ${repo.owner}/${repo.name}`);
    });
    return mirror;
  }

  async checkout(params: { repo: SourceRepo; sha: string; alsoFetch?: readonly string[]; token?: () => Promise<string> }): Promise<PreparedSource> {
    const wanted = [params.sha, ...(params.alsoFetch ?? []).filter((s) => SHA.test(s))];
    const mirror = await this.ensureCommits(params.repo, wanted, params.token);
    const folder = await createRunFolder(this.checkoutsRoot, `${params.sha.slice(0, 12)}-`);
    const dir = path.join(folder, "src");
    const objects = path.join(mirror, "objects");
    try {
      await mkdir(dir);
      await mkdir(path.join(folder, "out"));
      await runGit(dir, ["init", "-q", "--template="]);
      await writeFile(path.join(dir, ".git", "objects", "info", "alternates"), `${objects}\n`);
      await runGit(dir, ["checkout", "-q", "--detach", params.sha]);
    } catch (e) {
      await removeRunFolder(folder);
      throw new StorageError(`could not check out ${params.sha.slice(0, 7)} of ${params.repo.owner}/${params.repo.name}: ${(e as Error).message}`);
    }

    let released = false;
    return {
      dir,
      sha: params.sha,
      shared: [objects],
      outputDir: path.join(folder, "out"),
      readFileAt: async (sha, file) => {
        try {
          return (await runGit(mirror, ["show", `${sha}:${file}`])).toString("utf8");
        } catch {
          return undefined;
        }
      },
      release: async () => {
        if (released) return;
        released = true;
        await removeRunFolder(folder);
      },
    };
  }

  /** Ends what dead processes left of their checkouts (their jobs' processes, their folders). */
  async sweep(): Promise<string[]> {
    return sweepRunFolders(this.checkoutsRoot);
  }

  private async fetch(mirror: string, url: string, shas: string[], token?: () => Promise<string>): Promise<void> {
    const secret = token ? await token() : undefined;
    try {
      await runGit(mirror, ["fetch", "--no-tags", "--quiet", url, ...shas], { env: authEnv(secret) });
    } catch (e) {
      const message = redact((e as Error).message, secret ? [secret] : []);
      throw new StorageError(`git fetch of ${shas.map((s) => s.slice(0, 7)).join(", ")} from ${url} failed: ${message.trim()}`);
    }
  }

  /** One fetch per mirror at a time. */
  private exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.locks.set(key, next);
    return next;
  }
}

/** The token as a header for exactly one git call (its environment); git gets no other part of the bot's environment. */
function authEnv(secret: string | undefined): Record<string, string> {
  return secret
    ? { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "http.extraHeader", GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${secret}`).toString("base64")}` }
    : {};
}

/** The shas that are not commits in the mirror, in one `git cat-file --batch-check` (a git process per job, not per sha). */
async function missingCommits(mirror: string, shas: readonly string[]): Promise<string[]> {
  if (shas.length === 0) return [];
  const out = (await runGit(mirror, ["cat-file", "--batch-check=%(objecttype)"], { input: shas.map((sha) => `${sha}^{commit}\n`).join("") })).toString("utf8");
  const lines = out.split("\n");
  return shas.filter((_, i) => lines[i] !== "commit");
}
