import { readFile } from "node:fs/promises";
import path from "node:path";
import { runGit } from "./run-git.js";

/** The files of one version of a local repository: every path, and their contents on demand. */
export interface GitFiles {
  readonly paths: readonly string[];
  /** Blob sizes in bytes (commits only; the working tree's are not listed). */
  readonly sizes?: ReadonlyMap<string, number>;
  /** Text of the given paths (those that exist; others are left out), in one `git cat-file --batch`. */
  read(paths: Iterable<string>): Promise<Map<string, string>>;
}

/**
 * Lists a commit's files with one `git ls-tree -r` and reads contents with one
 * `git cat-file --batch` per `read` call (never a process per file). `ref: null` is the working
 * tree: tracked and untracked, not ignored files (`git ls-files`), read from disk.
 * argv only, no shell, no hooks (`runGit`); the ref is checked with `rev-parse --verify` first.
 */
export async function gitReadFiles(params: { cwd: string; ref: string | null }): Promise<GitFiles> {
  const { cwd, ref } = params;
  if (ref === null) {
    const top = (await git(cwd, ["rev-parse", "--show-toplevel"])).toString("utf8").trim();
    const listed = (await git(top, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])).toString("utf8");
    const paths = [...new Set(listed.split("\0").filter(Boolean))].sort();
    return {
      paths,
      read: async (wanted) => {
        const out = new Map<string, string>();
        await Promise.all(
          [...new Set(wanted)].map(async (p) => {
            try {
              out.set(p, await readFile(path.join(top, p), "utf8"));
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code !== "ENOENT" && (e as NodeJS.ErrnoException).code !== "EISDIR") throw e;
            }
          }),
        );
        return out;
      },
    };
  }
  const commit = (await git(cwd, ["rev-parse", "--verify", "--end-of-options", `${ref}^{commit}`])).toString("utf8").trim();
  const tree = (await git(cwd, ["ls-tree", "-r", "-l", "-z", "--full-tree", commit])).toString("utf8");
  const blobs = new Map<string, string>();
  const sizes = new Map<string, number>();
  for (const line of tree.split("\0")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    // `<mode> <type> <sha> <size, padded>\t<path>`
    const [mode, type, sha, size] = line.slice(0, tab).split(/ +/);
    if (type !== "blob" || mode === "120000" || !sha) continue;
    blobs.set(line.slice(tab + 1), sha);
    sizes.set(line.slice(tab + 1), Number(size));
  }
  return {
    paths: [...blobs.keys()].sort(),
    sizes,
    read: async (wanted) => {
      const list = [...new Set(wanted)].filter((p) => blobs.has(p));
      const out = new Map<string, string>();
      if (list.length === 0) return out;
      const raw = await git(cwd, ["cat-file", "--batch"], list.map((p) => `${blobs.get(p)}\n`).join(""));
      let offset = 0;
      for (const p of list) {
        const eol = raw.indexOf(10, offset);
        const header = raw.subarray(offset, eol).toString("utf8").split(" ");
        const size = Number(header[2]);
        if (header[1] !== "blob" || !Number.isFinite(size)) throw new Error(`git cat-file: unexpected header "${header.join(" ")}" for ${p}`);
        out.set(p, raw.subarray(eol + 1, eol + 1 + size).toString("utf8"));
        offset = eol + 1 + size + 1;
      }
      return out;
    },
  };
}

function git(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  return runGit(cwd, args, input === undefined ? {} : { input });
}
