import { StorageError } from "../../core/errors.js";
import type { DefaultBranchFile } from "../../ports/source-provider.js";
import { runGit } from "./run-git.js";

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** How long one `ls-remote` may take: every event waits on it, so a hung remote fails the event's config read instead of holding it. */
const LS_REMOTE_TIMEOUT_MS = 60_000;

/**
 * The commit the remote's default branch points at: `git ls-remote <url> refs/heads/<branch>`
 * (or `HEAD` when the name is not known), one round trip that writes nothing into the mirror.
 * Only the exact ref counts (ls-remote matches patterns by their tail).
 */
export async function remoteBranchHead(params: { mirror: string; url: string; branch: string | undefined; env: Record<string, string>; timeoutMs?: number }): Promise<string> {
  const { branch } = params;
  if (branch !== undefined && !isBranchName(branch)) throw new StorageError(`"${branch}" is not a branch name`);
  const ref = branch === undefined ? "HEAD" : `refs/heads/${branch}`;
  const out = (await runGit(params.mirror, ["ls-remote", "--end-of-options", params.url, ref], { env: params.env, timeoutMs: params.timeoutMs ?? LS_REMOTE_TIMEOUT_MS })).toString("utf8");
  for (const line of out.split("\n")) {
    const [sha, name] = line.split("\t");
    if (name === ref && sha && SHA.test(sha)) return sha;
  }
  throw new StorageError(`the default branch (${branch ?? "HEAD"}) is not on the remote`);
}

/**
 * `path` at commit `sha` of the mirror (which must have it: else git's error), as git stores it, without following anything: one
 * `git ls-tree` of the path and its parent folders (literal pathspecs) tells a regular file
 * (mode 100644 / 100755, read with `git cat-file blob` only when its size is within `maxBytes`)
 * from a symbolic link, a submodule or a folder, at the path or on the way to it.
 */
export async function readFileAtCommit(params: { mirror: string; sha: string; path: string; maxBytes: number }): Promise<DefaultBranchFile> {
  const { mirror, sha } = params;
  const parts = params.path.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) throw new StorageError(`"${params.path}" is not a file path inside the repository`);
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  const listed = (await runGit(mirror, ["--literal-pathspecs", "ls-tree", "-l", "-z", `${sha}^{commit}`, "--", ...prefixes])).toString("utf8");
  const entries = new Map<string, { mode: string; object: string; size: string }>();
  for (const line of listed.split("\0")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    // `<mode> <type> <object> <size, padded>\t<path>`
    const [mode = "", , object = "", size = ""] = line.slice(0, tab).split(/ +/);
    entries.set(line.slice(tab + 1), { mode, object, size });
  }
  const target = entries.get(params.path);
  if (target) {
    const kind = entryKind(target.mode);
    return kind === "file" ? readBlob({ mirror, sha, object: target.object, size: Number(target.size), maxBytes: params.maxBytes }) : { kind: "not-a-file", sha, path: params.path, entry: kind };
  }
  // A parent that is not a folder (a link to one, a submodule) hides the file: say which.
  for (const prefix of prefixes.slice(0, -1)) {
    const entry = entries.get(prefix);
    if (entry && entryKind(entry.mode) !== "folder") return { kind: "not-a-file", sha, path: prefix, entry: entryKind(entry.mode) };
  }
  return { kind: "absent", sha };
}

async function readBlob(p: { mirror: string; sha: string; object: string; size: number; maxBytes: number }): Promise<DefaultBranchFile> {
  if (!Number.isFinite(p.size) || p.size > p.maxBytes) return { kind: "too-large", sha: p.sha, size: p.size };
  const bytes = await runGit(p.mirror, ["cat-file", "blob", p.object]);
  // The object is the one listed, so its size is the one checked; never take more than the cap.
  return { kind: "file", sha: p.sha, bytes: bytes.subarray(0, p.maxBytes) };
}

function entryKind(mode: string): "symbolic link" | "submodule" | "folder" | "file" {
  if (mode === "100644" || mode === "100755") return "file";
  if (mode === "040000") return "folder";
  if (mode === "160000") return "submodule";
  return "symbolic link"; // 120000, and any mode git itself never writes: not read, not followed
}

/** A name git takes as a branch (`git check-ref-format --branch`'s rules), so it cannot turn into an option or a refspec. */
export function isBranchName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    ![...name].some((c) => c <= " " || c === "\x7f" || "~^:?*[\\".includes(c)) &&
    !name.startsWith("-") &&
    !name.includes("..") &&
    !name.includes("@{") &&
    !name.includes("//") &&
    name !== "@" &&
    !name.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock") || part === "") &&
    !name.endsWith(".")
  );
}
