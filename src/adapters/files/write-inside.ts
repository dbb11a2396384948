import { constants } from "node:fs";
import { lstat, mkdir, open } from "node:fs/promises";
import path from "node:path";
import { splitInsidePath } from "./inside-path.js";

/**
 * Writes a file that comes from a job (a remote run's result, an archive entry) under `root`,
 * which the bot made: every folder on the way is made or must be a real folder (never a link),
 * and the file is created new (O_EXCL, O_NOFOLLOW), so nothing is written through a link or over
 * something already there. Returns why it refused, or undefined when written.
 */
export async function writeInside(root: string, rel: string, data: Uint8Array, mode = 0o644): Promise<string | undefined> {
  const split = splitInsidePath(rel);
  if (!split.ok) return split.why;
  const folder = await ensureFolders(root, split.parts.slice(0, -1));
  if (!folder.ok) return folder.why;
  let handle;
  try {
    handle = await open(path.join(folder.path, split.parts.at(-1)!), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode & 0o755);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "EEXIST" ? "is there already" : `cannot be written (${code ?? "error"})`;
  }
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  return undefined;
}

/** Makes the folder `rel` under `root` the same way (never through a link); returns why not, or undefined. */
export async function makeFolderInside(root: string, rel: string): Promise<string | undefined> {
  const split = splitInsidePath(rel);
  if (!split.ok) return split.why;
  const folder = await ensureFolders(root, split.parts);
  return folder.ok ? undefined : folder.why;
}

async function ensureFolders(root: string, parts: readonly string[]): Promise<{ ok: true; path: string } | { ok: false; why: string }> {
  let current = root;
  for (const part of parts) {
    current = path.join(current, part);
    const info = await lstat(current).catch(() => undefined);
    if (!info) await mkdir(current, { mode: 0o755 });
    else if (info.isSymbolicLink()) return { ok: false, why: `goes through a link (${path.relative(root, current)})` };
    else if (!info.isDirectory()) return { ok: false, why: `goes through a file (${path.relative(root, current)})` };
  }
  return { ok: true, path: current };
}
